import { and, eq, inArray, sql } from "drizzle-orm";
import { batches, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES } from "../domain/vocabulary";
import { addJobAfterCommit, type JobSpec } from "../queue/job-queue";
import { PRIORITY } from "../queue/tasks";

/** The watch job of one batch (its digest right after it finishes, instead of at the next minute's tick). */
export function watchBatchJob(batchId: string): JobSpec<"watch_batches"> {
  return { task: "watch_batches", payload: { batchId }, jobKey: `watch:${batchId}`, priority: PRIORITY.tick, maxAttempts: 3 };
}

/**
 * Queues the batch's watch once the surrounding `withJobs` transaction commits (e.g. after a
 * cancel). Outside `withJobs` it does nothing: the minute's watch tick notices the batch instead.
 */
export function watchBatchAfterCommit(tx: Db, batchId: string): void {
  try {
    addJobAfterCommit(tx, watchBatchJob(batchId));
  } catch {
    // Not a withJobs transaction: the crontab's watch_batches tick builds the digest within a minute.
  }
}

/** Marks a batch finished once none of its runs is open any more, and queues its morning digest. */
export async function closeBatchIfDone(tx: Db, batchId: string | null): Promise<void> {
  if (!batchId) return;
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(and(eq(runs.batchId, batchId), inArray(runs.status, [...OPEN_RUN_STATUSES])));
  if ((open?.n ?? 0) === 0) {
    const closed = await tx
      .update(batches)
      .set({ status: "finished", finishedAt: sql`now()` })
      .where(and(eq(batches.id, batchId), eq(batches.status, "running")))
      .returning({ id: batches.id });
    if (closed.length > 0) watchBatchAfterCommit(tx, batchId);
  }
}
