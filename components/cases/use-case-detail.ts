"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { caseDetailRefetchInterval, caseKeys, fetchCaseDetail } from "./case-detail-query";

/** One case, prefetched by the server page and refetched every few seconds while it moves (not while the tab is hidden). */
export function useCaseDetail(caseId: string) {
  return useSuspenseQuery({
    queryKey: caseKeys.detail(caseId),
    queryFn: () => fetchCaseDetail(caseId),
    refetchInterval: (query) => caseDetailRefetchInterval(query.state.data),
    refetchIntervalInBackground: false,
  });
}
