/** Case statuses the list can filter by (our view, including the latest run's open states). Zod-free so client filters can import it. */
export const CASE_LIST_STATUSES = ["pending", "queued", "running", "retry_scheduled", "submitted", "needs_review", "parked", "failed"] as const;
export type CaseListStatus = (typeof CASE_LIST_STATUSES)[number];

export const CASE_LIST_PAGE_SIZE = 50;
