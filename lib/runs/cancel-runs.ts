import { and, inArray, sql, type SQL } from "drizzle-orm";
import { cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { listJobs, type JobQueue } from "../queue/job-queue";
import { jobKeyForRun } from "../queue/tasks";

/** The run statuses a person can cancel: waiting for a first attempt or for a retry (an attempt under way finishes). */
export const CANCELLABLE_RUN_STATUSES = ["queued", "retry_scheduled"] as const;

export interface CancelledRun {
  id: string;
  caseId: string;
  batchId: string | null;
}

/**
 * Cancels the waiting runs within `scope` (a condition on `runs`, e.g. one batch or a set of
 * ids): each ends `cancelled` with `errorCode`, and its case goes back to pending so the next
 * batch picks it up. Runs under way are left alone. Inside the caller's transaction; the jobs
 * are the caller's to remove after the commit ({@link removeQueuedJobs}).
 */
export async function cancelWaitingRuns(tx: Db, params: { scope: SQL | undefined; errorCode: string }): Promise<CancelledRun[]> {
  const cancelled = await tx
    .update(runs)
    .set({ status: "cancelled", errorCode: params.errorCode, nextAttemptAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(params.scope, inArray(runs.status, [...CANCELLABLE_RUN_STATUSES])))
    .returning({ id: runs.id, caseId: runs.caseId, batchId: runs.batchId });
  const caseIds = [...new Set(cancelled.map((run) => run.caseId))];
  for (let i = 0; i < caseIds.length; i += 1_000) {
    await tx
      .update(cases)
      .set({ status: "pending", updatedAt: sql`now()` })
      .where(and(inArray(cases.id, caseIds.slice(i, i + 1_000)), inArray(cases.status, ["queued", "running"])));
  }
  return cancelled;
}

/**
 * Removes the not-yet-started jobs of cancelled runs. Their jobs would find a cancelled run and do
 * nothing (beginAttempt); removing them keeps the queue honest. A job that starts meanwhile is
 * that no-op.
 */
export async function removeQueuedJobs(db: Db, queue: JobQueue, runIds: string[]): Promise<void> {
  for (let i = 0; i < runIds.length; i += 1_000) {
    const jobs = await listJobs(db, { keys: runIds.slice(i, i + 1_000).map(jobKeyForRun) });
    await queue.removeJobs(jobs.filter((j) => j.lockedAt === null).map((j) => j.id));
  }
}
