import { and, eq, inArray, sql } from "drizzle-orm";
import { batches, cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { enqueueRun, OPEN_RUN_STATUSES } from "../runs/enqueue-run";

export type BatchTrigger = "cron" | "manual" | "webhook";

export interface StartBatchParams {
  trigger: BatchTrigger;
  maxAttempts: number;
  /** The morning SLA: by when every case must be submitted or explained. */
  deadline: Date | null;
  parameters?: Record<string, unknown>;
  /** Only these OEMs (all when empty). */
  oemIds?: string[];
}

/**
 * Plans a batch over every pending case (oldest first) and enqueues one run per case. Returns
 * null when nothing is pending (no empty batches).
 */
export async function startBatch(db: Db, params: StartBatchParams): Promise<{ batchId: string; caseCount: number } | null> {
  return db.transaction(async (tx) => {
    const filters = [eq(cases.status, "pending")];
    if (params.oemIds && params.oemIds.length > 0) filters.push(inArray(cases.oemId, params.oemIds));
    const pending = await tx.select({ id: cases.id }).from(cases).where(and(...filters)).orderBy(cases.createdAt);
    if (pending.length === 0) return null;
    const [batch] = await tx
      .insert(batches)
      .values({ trigger: params.trigger, parameters: params.parameters ?? {}, deadline: params.deadline, status: "running", startedAt: sql`now()` })
      .returning({ id: batches.id });
    if (!batch) throw new Error("batch insert returned nothing");
    let count = 0;
    for (const c of pending) {
      const run = await enqueueRun(tx, { caseId: c.id, batchId: batch.id, maxAttempts: params.maxAttempts });
      if (run?.created) count += 1;
    }
    await tx.update(batches).set({ caseCount: count }).where(eq(batches.id, batch.id));
    return { batchId: batch.id, caseCount: count };
  });
}

/** Marks a batch finished once none of its runs is open any more. */
export async function closeBatchIfDone(tx: Db, batchId: string | null): Promise<void> {
  if (!batchId) return;
  const [open] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(and(eq(runs.batchId, batchId), inArray(runs.status, [...OPEN_RUN_STATUSES])));
  if ((open?.n ?? 0) === 0) {
    await tx.update(batches).set({ status: "finished", finishedAt: sql`now()` }).where(and(eq(batches.id, batchId), eq(batches.status, "running")));
  }
}
