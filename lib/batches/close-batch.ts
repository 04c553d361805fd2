import { and, eq, inArray, sql } from "drizzle-orm";
import { batches, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES } from "../domain/vocabulary";

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
