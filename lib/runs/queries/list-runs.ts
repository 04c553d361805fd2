import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client";
import { isOneOf, TERMINAL_FAIL_STATUSES, type BatchTrigger, type ErrorClass, type RunStatus } from "../../domain/vocabulary";
import { encodeRunListCursor, runListDateBounds, type RunListCursor, type RunListFilter } from "./run-list-params";

/** Counting stops here: "10,000+" is as exact as a list page needs, and it stays fast at 100k runs. */
export const RUN_COUNT_CAP = 10_000;

export interface RunListRow {
  id: string;
  caseId: string;
  reference: string;
  oem: { id: string; label: string; color: string; monogram: string };
  batchId: string | null;
  /** The run's batch, to name it in words ("Nightly batch · Tue 1 Dec"). */
  batch: { trigger: BatchTrigger; createdAt: Date } | null;
  status: RunStatus;
  dryRun: boolean;
  attemptCount: number;
  maxAttempts: number;
  errorClass: ErrorClass | null;
  errorCode: string | null;
  /** A terminal fail's reason sentence (from its failure object). */
  reason: string | null;
  /** The step the failure happened at. */
  failingStep: string | null;
  /** The failure screenshot's artifact key (signed into a link when the page is built). */
  screenshotKey: string | null;
  nextAttemptAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
}

export interface RunListPage {
  rows: RunListRow[];
  /** Cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
  /** Cursor of the previous (newer) page; null on the newest page. */
  prevCursor: string | null;
}

interface RunRow extends Record<string, unknown> {
  id: string;
  case_id: string;
  reference: string;
  oem_id: string;
  oem_label: string;
  oem_color: string;
  oem_monogram: string;
  batch_id: string | null;
  batch_trigger: string | null;
  batch_created_at: string | null;
  status: string;
  dry_run: boolean;
  attempt_count: number;
  max_attempts: number;
  error_class: string | null;
  error_code: string | null;
  reason: string | null;
  failing_step: string | null;
  screenshot_key: string | null;
  next_attempt_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  /** created_at to the microsecond in UTC: the keyset anchor (a JS Date keeps only milliseconds). */
  created_at_exact: string;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The WHERE conditions of a filter over `runs r` joined to `cases c`. Shared by the list, the
 * capped count and the bulk actions, so "select all matching" acts on exactly what is shown.
 */
export function runFilterConditions(filter: RunListFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.oem) where.push(sql`c.oem_id = ${filter.oem}`);
  if (filter.status.length > 0) where.push(sql`r.status in (${sql.join(filter.status.map((s) => sql`${s}`), sql`, `)})`);
  if (filter.errorClass) where.push(sql`r.error_class = ${filter.errorClass}`);
  if (filter.batch) where.push(sql`r.batch_id = ${filter.batch}`);
  if (filter.fingerprint) where.push(sql`r.fingerprint = ${filter.fingerprint}`);
  if (filter.q) where.push(sql`c.reference ilike ${containsPattern(filter.q)}`);
  const { createdFrom, createdBefore } = runListDateBounds(filter);
  if (createdFrom) where.push(sql`r.created_at >= ${createdFrom.toISOString()}::timestamptz`);
  if (createdBefore) where.push(sql`r.created_at < ${createdBefore.toISOString()}::timestamptz`);
  return where;
}

function whereClause(conditions: SQL[]): SQL {
  return conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

/**
 * The page order. Unfiltered, or filtered by OEM, status, class, dates or reference, the rows come
 * straight off `runs_created_idx (created_at desc nulls last, id desc nulls last)` — the NULLS
 * clauses must match it, or Postgres sorts all 100k runs instead. A batch or a triage group is a
 * bounded set that may lie far down that index (an old batch): its own index finds it and the
 * matches are sorted in memory (`+ interval '0'` keeps the planner from walking the created index).
 */
function orderBy(filter: RunListFilter, before: boolean): SQL {
  if (filter.batch || filter.fingerprint) {
    return before ? sql`order by r.created_at + interval '0 seconds' asc, r.id asc` : sql`order by r.created_at + interval '0 seconds' desc, r.id desc`;
  }
  return before ? sql`order by r.created_at asc nulls first, r.id asc nulls first` : sql`order by r.created_at desc nulls last, r.id desc nulls last`;
}

/**
 * One page of runs, newest first, keyset-paginated over (created_at, id) — never OFFSET, so page
 * 500 costs what page 1 costs. `runs_created_idx (created_at desc, id desc)` serves the order;
 * each row joins its case (reference, OEM) by primary key. Only the failure's reason, step and
 * screenshot key are read out of the failure object.
 */
export async function listRuns(db: Db, params: { filter: RunListFilter; cursor: RunListCursor | null; limit: number }): Promise<RunListPage> {
  const limit = Math.min(200, Math.max(1, Math.floor(params.limit)));
  const conditions = runFilterConditions(params.filter);
  const { cursor } = params;
  const before = cursor?.direction === "before";
  if (cursor) {
    const anchor = sql`(${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
    conditions.push(before ? sql`(r.created_at, r.id) > ${anchor}` : sql`(r.created_at, r.id) < ${anchor}`);
  }
  const order = orderBy(params.filter, before);
  const fetched = await db.execute<RunRow>(sql`
    select r.id, r.case_id, c.reference, c.oem_id, o.label as oem_label, o.color as oem_color, o.monogram as oem_monogram,
           r.batch_id, b.trigger as batch_trigger, b.created_at as batch_created_at, r.status, r.dry_run, r.attempt_count, r.max_attempts, r.error_class, r.error_code,
           r.failure ->> 'reason' as reason, r.failure ->> 'failingStep' as failing_step, r.failure -> 'evidence' ->> 'screenshot' as screenshot_key,
           r.next_attempt_at, r.started_at, r.finished_at, r.created_at,
           to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at_exact
    from runs r
    join cases c on c.id = r.case_id
    join oems o on o.id = c.oem_id
    left join batches b on b.id = r.batch_id
    ${whereClause(conditions)}
    ${order}
    limit ${limit + 1}`);
  const more = fetched.length > limit;
  const page = fetched.slice(0, limit);
  if (before) page.reverse();

  // Going back to newer rows and finding fewer than a page: that is the newest page (new runs may have arrived).
  if (before && !more) return listRuns(db, { filter: params.filter, cursor: null, limit });

  const first = page[0];
  const last = page.at(-1);
  const hasOlder = before ? true : more;
  const hasNewer = before ? more : cursor !== null;
  return {
    rows: page.map(toRow),
    nextCursor: hasOlder && last ? encodeRunListCursor({ direction: "after", createdAt: last.created_at_exact, id: last.id }) : null,
    prevCursor: hasNewer && first ? encodeRunListCursor({ direction: "before", createdAt: first.created_at_exact, id: first.id }) : null,
  };
}

/** How many runs match, counted up to {@link RUN_COUNT_CAP} + 1 (more reads as "10,000+"). */
export async function countRuns(db: Db, filter: RunListFilter): Promise<{ value: number; capped: boolean }> {
  const conditions = runFilterConditions(filter);
  // The join to cases is needed only when the filter reads it (OEM, reference).
  const needsCase = Boolean(filter.oem || filter.q);
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from (
      select 1 from runs r ${needsCase ? sql`join cases c on c.id = r.case_id` : sql``}
      ${whereClause(conditions)}
      limit ${RUN_COUNT_CAP + 1}
    ) matching`);
  const n = row?.n ?? 0;
  return n > RUN_COUNT_CAP ? { value: RUN_COUNT_CAP, capped: true } : { value: n, capped: false };
}

const date = (value: string | null) => (value === null ? null : new Date(value));

function toRow(row: RunRow): RunListRow {
  // A status older code wrote and this version does not know is passed on as is (the badge shows it neutrally).
  const status = row.status as RunStatus;
  const terminalFail = isOneOf(TERMINAL_FAIL_STATUSES, status);
  return {
    id: row.id,
    caseId: row.case_id,
    reference: row.reference,
    oem: { id: row.oem_id, label: row.oem_label, color: row.oem_color, monogram: row.oem_monogram },
    batchId: row.batch_id,
    batch: row.batch_id && row.batch_trigger && row.batch_created_at ? { trigger: row.batch_trigger as BatchTrigger, createdAt: new Date(row.batch_created_at) } : null,
    status,
    dryRun: row.dry_run,
    attemptCount: row.attempt_count,
    maxAttempts: row.max_attempts,
    errorClass: row.error_class as ErrorClass | null,
    errorCode: row.error_code,
    reason: terminalFail ? row.reason : null,
    failingStep: terminalFail ? row.failing_step : null,
    screenshotKey: terminalFail ? row.screenshot_key : null,
    nextAttemptAt: date(row.next_attempt_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    createdAt: new Date(row.created_at),
  };
}
