import { and, asc, desc, eq, sql } from "drizzle-orm";
import { cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { RunStatus } from "../domain/vocabulary";

export interface BatchRunRow {
  runId: string;
  caseId: string;
  reference: string;
  oemId: string;
  status: RunStatus;
  attemptCount: number;
  maxAttempts: number;
  errorCode: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/**
 * A batch's runs for its page: the open ones first (running, then waiting), then the settled ones,
 * most recently finished first. Paged by offset; a batch may hold 10,000 runs.
 */
export async function listBatchRuns(db: Db, params: { batchId: string; limit: number; offset: number; status?: RunStatus }): Promise<{ rows: BatchRunRow[]; total: number }> {
  const where = params.status ? and(eq(runs.batchId, params.batchId), eq(runs.status, params.status)) : eq(runs.batchId, params.batchId);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(runs).where(where);
  const rows = await db
    .select({
      runId: runs.id,
      caseId: runs.caseId,
      reference: cases.reference,
      oemId: cases.oemId,
      status: runs.status,
      attemptCount: runs.attemptCount,
      maxAttempts: runs.maxAttempts,
      errorCode: runs.errorCode,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .innerJoin(cases, eq(cases.id, runs.caseId))
    .where(where)
    .orderBy(
      sql`case ${runs.status} when 'running' then 0 when 'retry_scheduled' then 1 when 'queued' then 2 else 3 end`,
      desc(sql`coalesce(${runs.finishedAt}, ${runs.startedAt})`),
      asc(runs.id),
    )
    .limit(params.limit)
    .offset(params.offset);
  return { rows, total: count?.n ?? 0 };
}
