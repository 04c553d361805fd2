"use client";

import * as React from "react";
import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { Overview } from "@/lib/overview/get-overview";
import { fetchNightHistory, historyRefetchInterval, isWorkRunning, overviewKeys } from "./overview-query";

/**
 * The nights behind the trend, sparklines and streak, prefetched by the server page: refreshed
 * every 30 s while work runs, never while idle, and once more when the work stops (the last bar
 * and the streak then change).
 */
export function useNightHistory(overview: Overview) {
  const queryClient = useQueryClient();
  const busy = isWorkRunning(overview);
  const wasBusy = React.useRef(busy);
  React.useEffect(() => {
    if (wasBusy.current && !busy) void queryClient.invalidateQueries({ queryKey: overviewKeys.history() });
    wasBusy.current = busy;
  }, [busy, queryClient]);
  return useSuspenseQuery({
    queryKey: overviewKeys.history(),
    queryFn: fetchNightHistory,
    refetchInterval: historyRefetchInterval(overview),
    refetchIntervalInBackground: false,
  });
}
