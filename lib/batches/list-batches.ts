import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { batches, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { RUN_STATUSES, type BatchStatus, type BatchTrigger, type RunStatus } from "../domain/vocabulary";
import { parseBatchPlan } from "./recipe";

export interface BatchListItem {
  id: string;
  trigger: BatchTrigger;
  status: BatchStatus;
  recipeVersion: number | null;
  createdBy: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  deadline: Date | null;
  caseCount: number;
  /** Runs of the batch by status (every status present, 0 when none). */
  counts: Record<RunStatus, number>;
  backfilled: boolean;
  late: boolean;
  atRiskSince: Date | null;
  opsNote: string;
  dryRun: boolean;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
}

export interface ListBatchesParams {
  limit: number;
  /** The id of the last batch of the previous page. */
  cursor?: string;
}

/** Recent batches, newest first, with their run counts; `nextCursor` is null on the last page. */
export async function listBatches(db: Db, params: ListBatchesParams): Promise<{ batches: BatchListItem[]; nextCursor: string | null }> {
  let after = undefined;
  if (params.cursor) {
    const [anchor] = await db.select({ createdAt: batches.createdAt, id: batches.id }).from(batches).where(eq(batches.id, params.cursor));
    if (anchor) after = or(lt(batches.createdAt, anchor.createdAt), and(eq(batches.createdAt, anchor.createdAt), lt(batches.id, anchor.id)));
  }
  const rows = await db
    .select({
      id: batches.id,
      trigger: batches.trigger,
      status: batches.status,
      recipeVersion: batches.recipeVersion,
      createdBy: batches.createdBy,
      startedAt: batches.startedAt,
      finishedAt: batches.finishedAt,
      deadline: batches.deadline,
      caseCount: batches.caseCount,
      backfilled: batches.backfilled,
      late: batches.late,
      atRiskSince: batches.atRiskSince,
      parameters: batches.parameters,
      cancelledAt: batches.cancelledAt,
      cancelledBy: batches.cancelledBy,
      cancelReason: batches.cancelReason,
    })
    .from(batches)
    .where(after)
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const ids = page.map((r) => r.id);
  const counted = ids.length
    ? await db
        .select({ batchId: runs.batchId, status: runs.status, n: sql<number>`count(*)::int` })
        .from(runs)
        .where(inArray(runs.batchId, ids))
        .groupBy(runs.batchId, runs.status)
    : [];
  const items = page.map(({ parameters, ...row }) => {
    const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
    for (const c of counted) if (c.batchId === row.id) counts[c.status] = c.n;
    const plan = parseBatchPlan(parameters);
    return { ...row, counts, opsNote: plan.opsNote, dryRun: plan.dryRun };
  });
  return { batches: items, nextCursor: rows.length > params.limit ? (page.at(-1)?.id ?? null) : null };
}
