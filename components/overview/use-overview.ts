"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { fetchOverview, overviewKeys, overviewRefetchInterval } from "./overview-query";

/**
 * The overview, prefetched by the server page and kept live: refetched every few seconds while
 * work is running, slowly when idle, not at all while the tab is hidden.
 */
export function useOverview() {
  return useSuspenseQuery({
    queryKey: overviewKeys.all,
    queryFn: fetchOverview,
    refetchInterval: (query) => overviewRefetchInterval(query.state.data),
    refetchIntervalInBackground: false,
  });
}
