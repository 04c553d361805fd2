"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { caseDetailRefetchInterval, caseKeys, fetchCaseDetail } from "./case-detail-query";

/** One case, prefetched by the server page, refetched every few seconds while it moves and before its evidence links expire (not while the tab is hidden). */
export function useCaseDetail(caseId: string) {
  return useSuspenseQuery({
    queryKey: caseKeys.detail(caseId),
    queryFn: () => fetchCaseDetail(caseId),
    refetchInterval: (query) => caseDetailRefetchInterval(query.state.data, query.state.dataUpdatedAt),
    refetchIntervalInBackground: false,
  });
}
