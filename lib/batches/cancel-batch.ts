import { and, eq, inArray, sql } from "drizzle-orm";
import { auditLog, batches, cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { cancelWaitingRuns, removeQueuedJobs } from "../runs/cancel-runs";
import { watchBatchAfterCommit } from "./close-batch";

export class CancelBatchError extends AppError<"not_found" | "conflict"> {
  override name = "CancelBatchError";
}

export interface CancelBatchResult {
  batchId: string;
  /** Queued and retry-scheduled runs that were cancelled (their cases are pending again). */
  cancelledRuns: number;
  /** Runs whose attempt was under way: it finishes; a retry it would need is cancelled instead. */
  stillRunning: number;
}

/**
 * A person cancels a batch: its queued and retry-scheduled runs are cancelled and their cases go
 * back to pending (the next batch picks them up), attempts under way finish (a retry they would
 * schedule becomes a cancel), and the batch records who, when and why. Audited. A finished or
 * already cancelled batch is a conflict. Nothing is lost: every case of the batch ends submitted,
 * in a terminal fail, or pending.
 */
export async function cancelBatch(db: Db, queue: JobQueue, params: { batchId: string; actor: string; reason: string | null }): Promise<CancelBatchResult> {
  const result = await withJobs(db, queue, async (tx) => {
    const [batch] = await tx.select({ id: batches.id, status: batches.status }).from(batches).where(eq(batches.id, params.batchId)).for("update");
    if (!batch) throw new CancelBatchError("not_found", "No such batch.");
    if (batch.status === "finished" || batch.status === "cancelled") throw new CancelBatchError("conflict", `The batch is already ${batch.status}.`);
    const cancelled = await cancelWaitingRuns(tx, { scope: eq(runs.batchId, batch.id), errorCode: "batch_cancelled" });
    const [running] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(runs)
      .where(and(eq(runs.batchId, batch.id), eq(runs.status, "running")));
    const stillRunning = running?.n ?? 0;
    await tx
      .update(batches)
      .set({ status: "cancelled", cancelledAt: sql`now()`, cancelledBy: params.actor, cancelReason: params.reason, finishedAt: sql`now()` })
      .where(eq(batches.id, batch.id));
    // The morning digest of a cancelled batch is built at once, not at the next minute's watch.
    watchBatchAfterCommit(tx, batch.id);
    await tx.insert(auditLog).values({ actor: params.actor, action: "batch.cancel", details: { batchId: batch.id, reason: params.reason, cancelledRuns: cancelled.length, stillRunning } });
    return { batchId: batch.id, cancelledRuns: cancelled.length, stillRunning, runIds: cancelled.map((r) => r.id) };
  });
  // Their jobs would find a cancelled run and do nothing (beginAttempt); removing the ones not yet
  // started keeps the queue honest. Best-effort: a job that starts meanwhile is that no-op.
  await removeQueuedJobs(db, queue, result.runIds).catch((error: unknown) => queue.log?.warn({ err: error, batchId: result.batchId }, "could not remove the jobs of a cancelled batch"));
  return { batchId: result.batchId, cancelledRuns: result.cancelledRuns, stillRunning: result.stillRunning };
}

/**
 * A run of a cancelled batch whose attempt just ended and would be tried again: cancelled instead,
 * its case pending. Called inside the outcome's transaction; returns whether it cancelled the run.
 */
export async function cancelInsteadOfRetry(tx: Db, run: { id: string; caseId: string; batchId: string | null }): Promise<boolean> {
  if (!run.batchId) return false;
  const [batch] = await tx.select({ status: batches.status }).from(batches).where(eq(batches.id, run.batchId));
  if (batch?.status !== "cancelled") return false;
  await tx
    .update(runs)
    .set({ status: "cancelled", errorCode: "batch_cancelled", nextAttemptAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(runs.id, run.id));
  await tx.update(cases).set({ status: "pending", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), inArray(cases.status, ["queued", "running"])));
  return true;
}
