/**
 * The case page's live data: its query keys, the fetcher of `GET /api/cases/:id`, the date
 * parsing of its JSON, and how often to poll. Shared by the server page (prefetch) and the client.
 */
import type { CaseDetail, CaseDetailArtifact, CaseDetailAttempt, CaseDetailRun } from "@/lib/cases/queries/get-case-detail";
import { linkRefreshDelayMs } from "@/lib/artifacts/artifact-links";
import { OPEN_RUN_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";

export const caseKeys = {
  all: ["cases"] as const,
  detail: (caseId: string) => ["cases", "detail", caseId] as const,
};

/** Poll this often while the case moves (an open run, or a write-back still on its way to the CRM). */
export const CASE_BUSY_REFETCH_MS = 5_000;

const toDate = (value: string) => new Date(value);
const toDateOrNull = (value: string | null) => (value === null ? null : new Date(value));

const parseArtifact = (artifact: Jsonified<CaseDetailArtifact>): CaseDetailArtifact => ({ ...artifact, createdAt: toDate(artifact.createdAt) });

const parseAttempt = (attempt: Jsonified<CaseDetailAttempt>): CaseDetailAttempt => ({
  ...attempt,
  queuedAt: toDateOrNull(attempt.queuedAt),
  startedAt: toDate(attempt.startedAt),
  finishedAt: toDateOrNull(attempt.finishedAt),
  artifacts: attempt.artifacts.map(parseArtifact),
  evidenceExpiredAt: toDateOrNull(attempt.evidenceExpiredAt),
});

const parseRun = (run: Jsonified<CaseDetailRun>): CaseDetailRun => ({
  ...run,
  batch: run.batch ? { ...run.batch, createdAt: toDate(run.batch.createdAt) } : null,
  nextAttemptAt: toDateOrNull(run.nextAttemptAt),
  failure: run.failure ? { ...run.failure, screenshot: run.failure.screenshot ? parseArtifact(run.failure.screenshot) : null } : null,
  startedAt: toDateOrNull(run.startedAt),
  finishedAt: toDateOrNull(run.finishedAt),
  createdAt: toDate(run.createdAt),
  attempts: run.attempts.map(parseAttempt),
});

/** A case as it arrives over JSON, with its dates turned back into `Date`s. */
export function parseCaseDetail(json: Jsonified<CaseDetail>): CaseDetail {
  return {
    ...json,
    crmUpdatedAt: toDateOrNull(json.crmUpdatedAt),
    createdAt: toDate(json.createdAt),
    updatedAt: toDate(json.updatedAt),
    runs: json.runs.map(parseRun),
    writeBacks: json.writeBacks.map((entry) => ({ ...entry, deliveredAt: toDateOrNull(entry.deliveredAt), createdAt: toDate(entry.createdAt) })),
  };
}

export async function fetchCaseDetail(caseId: string): Promise<CaseDetail> {
  return parseCaseDetail(await fetchJson<Jsonified<CaseDetail>>(`/api/cases/${encodeURIComponent(caseId)}`, { cache: "no-store", fallback: "The case could not be loaded." }));
}

/**
 * Fast while the latest run is open or a write-back is pending. Once everything settled, still
 * again before the evidence links (signed for 15 min) expire, so a tab left open never shows a
 * dead link; a hidden tab does not poll, and refetches on focus (its data is stale by then).
 */
export function caseDetailRefetchInterval(detail: CaseDetail | undefined, fetchedAt: number = Date.now(), now: number = Date.now()): number | false {
  if (!detail) return false;
  const moving = isOneOf(OPEN_RUN_STATUSES, detail.runs[0]?.status) || detail.writeBacks.some((entry) => entry.status === "pending");
  if (moving) return CASE_BUSY_REFETCH_MS;
  return detail.runs.length > 0 ? linkRefreshDelayMs(fetchedAt, now) : false;
}
