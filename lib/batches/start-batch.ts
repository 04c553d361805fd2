import { and, eq, inArray, sql } from "drizzle-orm";
import { batches, cases } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { BatchTrigger } from "../domain/vocabulary";
import { parseBatchPlan, type BatchPlan } from "./recipe";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { enqueueRun } from "../runs/enqueue-run";

export interface StartBatchParams {
  trigger: BatchTrigger;
  maxAttempts: number;
  /** The morning SLA: by when every case must be submitted or explained. */
  deadline: Date | null;
  parameters?: Partial<BatchPlan>;
  /** Only these OEMs (all when empty). */
  oemIds?: string[];
  /** The batch's start (its first attempts are due from then). */
  now?: Date;
}

/**
 * Plans a batch over every pending case (oldest first) and enqueues one run per case. Returns
 * null when nothing is pending (no empty batches).
 */
export async function startBatch(db: Db, queue: JobQueue, params: StartBatchParams): Promise<{ batchId: string; caseCount: number } | null> {
  return withJobs(db, queue, async (tx) => {
    const filters = [eq(cases.status, "pending")];
    if (params.oemIds && params.oemIds.length > 0) filters.push(inArray(cases.oemId, params.oemIds));
    const pending = await tx.select({ id: cases.id }).from(cases).where(and(...filters)).orderBy(cases.createdAt, cases.id);
    if (pending.length === 0) return null;
    const [batch] = await tx
      .insert(batches)
      .values({ trigger: params.trigger, parameters: parseBatchPlan(params.parameters ?? {}), deadline: params.deadline, status: "running", startedAt: sql`now()` })
      .returning({ id: batches.id });
    if (!batch) throw new Error("batch insert returned nothing");
    // graphile-worker orders equal priorities by run_at alone: jobs due at the same instant come out
    // in no defined order. One millisecond apart, the planned order is the order they run in.
    const start = (params.now ?? new Date()).getTime();
    let count = 0;
    for (const [index, c] of pending.entries()) {
      const run = await enqueueRun(tx, queue, { caseId: c.id, batchId: batch.id, maxAttempts: params.maxAttempts, runAt: new Date(start + index) });
      if (run?.created) count += 1;
    }
    await tx.update(batches).set({ caseCount: count }).where(eq(batches.id, batch.id));
    return { batchId: batch.id, caseCount: count };
  });
}
