/** The statuses the case list shows and filters by. Zod-free so client filters can import it. */
import type { CaseStatus, OpenRunStatus } from "@/lib/domain/vocabulary";

/** Our status of a case as shown: the latest run's while it is open (queued, running, retry scheduled), else the case's. */
export type CaseListStatus = CaseStatus | OpenRunStatus;

/** Every {@link CaseListStatus}, in the order the filter menu offers them. */
export const CASE_LIST_STATUSES = ["pending", "queued", "running", "retry_scheduled", "submitted", "needs_review", "awaiting_approval", "parked", "failed"] as const satisfies readonly CaseListStatus[];

// A status added to the vocabulary but not to the list above fails to compile here.
const everyStatusListed: [Exclude<CaseListStatus, (typeof CASE_LIST_STATUSES)[number]>] extends [never] ? true : never = true;
void everyStatusListed;

export const CASE_LIST_PAGE_SIZE = 50;
