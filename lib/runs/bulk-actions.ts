import { randomUUID } from "node:crypto";
import { and, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditLog, bulkActions, cases, runs } from "@/drizzle/schema";
import { closeBatchIfDone } from "../batches/close-batch";
import type { Db } from "../db/client";
import { isOneOf, OPEN_RUN_STATUSES, TERMINAL_FAIL_STATUSES, type ErrorClass, type RunStatus } from "../domain/vocabulary";
import { AppError } from "../errors/app-error";
import { formatCount } from "../format/number";
import { addJobAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { submitCaseJob } from "../queue/specs";
import { PRIORITY } from "../queue/tasks";
import { BULK_ACTIONS, bulkActionName, type BulkAction } from "./bulk-action-name";
import { CANCELLABLE_RUN_STATUSES, cancelWaitingRuns, removeQueuedJobs } from "./cancel-runs";
import { runFilterConditions } from "./queries/list-runs";
import { runListFilterSchema, type RunListFilter } from "./queries/run-list-params";

/** At most this many runs per bulk action; a wider filter is refused with a sentence saying so. */
export const BULK_SELECTION_CAP = 5_000;

/** What a bulk action acts on: runs picked one by one, or every run a filter of the runs view matches. */
export type BulkSelection = { runIds: string[] } | { filter: RunListFilter };

const selectionSchema = z
  .strictObject({
    runIds: z
      .array(z.uuid("Not a run id"))
      .min(1, "Select at least one run")
      .max(BULK_SELECTION_CAP, `At most ${formatCount(BULK_SELECTION_CAP)} runs at once`)
      .transform((ids) => [...new Set(ids)])
      .optional(),
    filter: runListFilterSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.runIds === undefined) === (value.filter === undefined)) ctx.addIssue({ code: "custom", message: "Give either runIds or filter" });
  })
  .transform((value): BulkSelection => (value.runIds ? { runIds: value.runIds } : { filter: value.filter! }));

/** `POST /api/runs/bulk`'s body. */
export const bulkActionBodySchema = z.strictObject({
  action: z.enum(BULK_ACTIONS, { error: "Choose retry or cancel" }),
  name: z
    .string()
    .trim()
    .max(120, "At most 120 characters")
    .optional()
    .transform((name) => name || undefined),
  selection: selectionSchema,
});
export type BulkActionBody = z.output<typeof bulkActionBodySchema>;

export interface BulkActionResult {
  id: string;
  action: BulkAction;
  name: string;
  /** Per outcome, how many runs: `{ retried, skipped }` or `{ cancelled, skipped }`. */
  results: Record<string, number>;
  /** Runs selected (acted on or skipped). */
  runCount: number;
}

interface SelectedRun {
  id: string;
  caseId: string;
  batchId: string | null;
  status: RunStatus;
  errorClass: ErrorClass | null;
  oemId: string;
  oemLabel: string;
  caseStatus: string;
}

/**
 * A person retries or cancels many runs at once. The selection (ids, or a filter resolved here,
 * inside the transaction) is locked; runs that qualify are acted on set-based, the others are
 * skipped and counted. One `bulk_actions` row records the name, the selection as given, the
 * results and who; each run acted on gets an audit row pointing at it. Nothing qualifying is a
 * conflict (409) and writes nothing.
 *
 * - **retry**: terminal fails (needs review, parked, failed) → a fresh run for the case, queued at
 *   once at urgent priority (as `retryRun` does). One new run per case: a second failed run of the
 *   same case, a case already submitted, or one with an open run is skipped.
 * - **cancel**: queued and retry-scheduled runs → cancelled, their cases back to pending, their
 *   jobs removed after the commit (as cancelling a batch does). Runs under way are skipped.
 */
export async function runBulkAction(
  db: Db,
  queue: JobQueue,
  params: { action: BulkAction; name?: string | undefined; selection: BulkSelection; actor: string; maxAttempts: number },
): Promise<BulkActionResult> {
  const outcome = await withJobs(db, queue, async (tx) => {
    const selected = await lockSelection(tx, params.selection);
    const runCount = "runIds" in params.selection ? params.selection.runIds.length : selected.length;
    if (selected.length === 0) {
      throw new AppError("conflict", "runIds" in params.selection ? "None of the selected runs exists." : "No run matches this filter.");
    }
    const id = randomUUID();
    const name =
      params.name ??
      bulkActionName({ action: params.action, count: runCount, oemLabels: selected.map((r) => r.oemLabel), errorClasses: selected.map((r) => r.errorClass), statuses: selected.map((r) => r.status) });

    let results: Record<string, number>;
    let cancelledIds: string[] = [];
    if (params.action === "retry") {
      const retried = await retrySet(tx, selected, { bulkActionId: id, actor: params.actor, maxAttempts: params.maxAttempts });
      if (retried === 0) {
        throw new AppError("conflict", "None of the selected runs can be retried: only runs that ended needing review, parked or failed can, and not while their case has an open run or is submitted.");
      }
      results = { retried, skipped: runCount - retried };
    } else {
      const cancelled = await cancelSet(tx, selected, { bulkActionId: id, actor: params.actor });
      if (cancelled.length === 0) throw new AppError("conflict", "None of the selected runs is waiting: only queued runs and runs waiting for a retry can be cancelled.");
      cancelledIds = cancelled;
      results = { cancelled: cancelled.length, skipped: runCount - cancelled.length };
    }
    await tx.insert(bulkActions).values({ id, action: params.action, name, selection: selectionRecord(params.selection), results, runCount, actor: params.actor });
    return { result: { id, action: params.action, name, results, runCount }, cancelledIds };
  });
  if (outcome.cancelledIds.length > 0) {
    await removeQueuedJobs(db, queue, outcome.cancelledIds).catch((error: unknown) => queue.log?.warn({ err: error, bulkActionId: outcome.result.id }, "could not remove the jobs of cancelled runs"));
  }
  return outcome.result;
}

/** The selection as stored: ids as given, or the normalised filter. */
function selectionRecord(selection: BulkSelection): Record<string, unknown> {
  return "runIds" in selection ? { runIds: selection.runIds } : { filter: selection.filter };
}

interface SelectedRow extends Record<string, unknown> {
  id: string;
  case_id: string;
  batch_id: string | null;
  status: string;
  error_class: string | null;
  oem_id: string;
  oem_label: string;
  case_status: string;
}

/** Reads and locks the selected runs, newest first. A filter matching more than the cap is refused. */
async function lockSelection(tx: Db, selection: BulkSelection): Promise<SelectedRun[]> {
  let where: SQL;
  if ("runIds" in selection) {
    where = sql`where r.id in (${sql.join(selection.runIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  } else {
    const conditions = runFilterConditions(selection.filter);
    where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  }
  const rows = await tx.execute<SelectedRow>(sql`
    select r.id, r.case_id, r.batch_id, r.status, r.error_class, c.oem_id, o.label as oem_label, c.status as case_status
    from runs r
    join cases c on c.id = r.case_id
    join oems o on o.id = c.oem_id
    ${where}
    order by r.created_at desc nulls last, r.id desc nulls last
    limit ${BULK_SELECTION_CAP + 1}
    for update of r`);
  if (rows.length > BULK_SELECTION_CAP) {
    const message = `This filter matches more than ${formatCount(BULK_SELECTION_CAP)} runs; narrow it (by batch, OEM, status or dates) to act on them.`;
    throw new AppError("unprocessable", message, { fields: { selection: [message] } });
  }
  return rows.map((row) => ({
    id: row.id,
    caseId: row.case_id,
    batchId: row.batch_id,
    status: row.status as RunStatus,
    errorClass: row.error_class as ErrorClass | null,
    oemId: row.oem_id,
    oemLabel: row.oem_label,
    caseStatus: row.case_status,
  }));
}

/** A fresh run per case of the selected terminal fails (the newest selected run of a case stands for it). Returns how many. */
async function retrySet(tx: Db, selected: SelectedRun[], params: { bulkActionId: string; actor: string; maxAttempts: number }): Promise<number> {
  const byCase = new Map<string, SelectedRun>();
  for (const run of selected) {
    if (!isOneOf(TERMINAL_FAIL_STATUSES, run.status) || run.caseStatus === "submitted") continue;
    if (!byCase.has(run.caseId)) byCase.set(run.caseId, run);
  }
  if (byCase.size === 0) return 0;
  const caseIds = [...byCase.keys()];
  // As retryRun: a case in a terminal fail is pending again, then queued by its new run.
  await tx
    .update(cases)
    .set({ status: "pending", updatedAt: sql`now()` })
    .where(and(inArray(cases.id, caseIds), inArray(cases.status, [...TERMINAL_FAIL_STATUSES])));
  // Set-based; the partial unique index skips a case that has an open run (as the planner does).
  const inserted = await tx.execute<{ id: string; case_id: string }>(sql`
    insert into runs (case_id, priority, max_attempts, status)
    select c.id, ${PRIORITY.urgent}, ${params.maxAttempts}, 'queued'
    from cases c
    where c.id in (${sql.join(caseIds.map((id) => sql`${id}::uuid`), sql`, `)}) and c.status <> 'submitted'
    on conflict (case_id) where status in (${sql.join(OPEN_RUN_STATUSES.map((s) => sql`${s}`), sql`, `)}) do nothing
    returning id, case_id`);
  if (inserted.length === 0) return 0;
  await tx
    .update(cases)
    .set({ status: "queued", updatedAt: sql`now()` })
    .where(
      inArray(
        cases.id,
        inserted.map((row) => row.case_id),
      ),
    );
  const audit = inserted.map((row) => {
    const previous = byCase.get(row.case_id)!;
    addJobAfterCommit(tx, submitCaseJob({ runId: row.id, oemId: previous.oemId, priority: PRIORITY.urgent, runAt: null }));
    return { actor: params.actor, action: "retry_run", runId: previous.id, oemId: previous.oemId, bulkActionId: params.bulkActionId, details: { newRunId: row.id } };
  });
  await insertAudit(tx, audit);
  return inserted.length;
}

/** Cancels the selected waiting runs; returns their ids. */
async function cancelSet(tx: Db, selected: SelectedRun[], params: { bulkActionId: string; actor: string }): Promise<string[]> {
  const waiting = selected.filter((run) => isOneOf(CANCELLABLE_RUN_STATUSES, run.status));
  if (waiting.length === 0) return [];
  const cancelled = await cancelWaitingRuns(tx, {
    scope: inArray(
      runs.id,
      waiting.map((run) => run.id),
    ),
    errorCode: "cancelled_by_person",
  });
  // A batch whose last open runs were cancelled is finished now (and gets its digest).
  for (const batchId of new Set(cancelled.map((run) => run.batchId))) await closeBatchIfDone(tx, batchId);
  const before = new Map(waiting.map((run) => [run.id, run]));
  await insertAudit(
    tx,
    cancelled.map((run) => ({ actor: params.actor, action: "cancel_run", runId: run.id, oemId: before.get(run.id)?.oemId ?? null, bulkActionId: params.bulkActionId, details: { from: before.get(run.id)?.status ?? null } })),
  );
  return cancelled.map((run) => run.id);
}

async function insertAudit(tx: Db, rows: (typeof auditLog.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) await tx.insert(auditLog).values(rows.slice(i, i + 1_000));
}
