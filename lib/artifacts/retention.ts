import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { artifacts, runs } from "@/drizzle/schema";
import type { ArtifactRetention } from "../config/integrations";
import type { Database } from "../db/client";
import type { ArtifactStore } from "./store";

/** Rows deleted per round: one query, that many deletes, one transaction marking them. */
export const PRUNE_BATCH_SIZE = 200;
/** Objects deleted at once within a round. */
const DELETE_CONCURRENCY = 8;

export interface PruneResult {
  /** Artifacts whose objects were deleted (or found already absent) and rows marked expired. */
  expired: number;
  /** Failed runs whose failure object now notes that its evidence expired (successes have none to note). */
  runs: number;
}

interface DueRow extends Record<string, unknown> {
  id: string;
  key: string;
  run_id: string;
  kept_days: number;
}

/**
 * Retention on either store: artifacts older than `retention.days` (redaction-sensitive cases:
 * `retention.sensitiveDays`) are deleted from the store, then their rows are marked `expired_at`
 * and their run's failure drops the keys and notes `evidenceExpired` (so pages say the evidence
 * expired instead of showing broken links). In batches; idempotent and safe if killed halfway: a
 * row is marked only after its object is gone (a delete of an absent object succeeds), so a re-run
 * finishes what a killed one started and a completed one finds nothing to do.
 */
export async function pruneArtifacts(db: Database, store: Pick<ArtifactStore, "delete">, params: { retention: ArtifactRetention; now?: Date; batchSize?: number; maxBatches?: number }): Promise<PruneResult> {
  const now = params.now ?? new Date();
  const batchSize = params.batchSize ?? PRUNE_BATCH_SIZE;
  const { days, sensitiveDays } = params.retention;
  let expired = 0;
  const notedRuns = new Set<string>();
  for (let round = 0; round < (params.maxBatches ?? Number.POSITIVE_INFINITY); round++) {
    const due = await db.execute<DueRow>(sql`
      select a.id, a.key, a.run_id, (case when c.redaction_sensitive then ${sensitiveDays}::int else ${days}::int end) as kept_days
      from artifacts a
      join runs r on r.id = a.run_id
      join cases c on c.id = r.case_id
      where a.expired_at is null
        -- The shorter period first, so the partial index on unexpired created_at narrows the scan.
        and a.created_at < ${now.toISOString()}::timestamptz - make_interval(days => ${sensitiveDays}::int)
        and a.created_at < ${now.toISOString()}::timestamptz - make_interval(days => case when c.redaction_sensitive then ${sensitiveDays}::int else ${days}::int end)
      order by a.created_at, a.id
      limit ${batchSize}`);
    const rows = [...due];
    if (rows.length === 0) break;

    for (let i = 0; i < rows.length; i += DELETE_CONCURRENCY) {
      await Promise.all(rows.slice(i, i + DELETE_CONCURRENCY).map((row) => store.delete(row.key)));
    }

    const marked = await db.transaction(async (tx) => {
      const done = await tx
        .update(artifacts)
        .set({ expiredAt: now })
        .where(and(inArray(artifacts.id, rows.map((r) => r.id)), isNull(artifacts.expiredAt)))
        .returning({ key: artifacts.key, runId: artifacts.runId });
      const byRun = new Map<string, Set<string>>();
      for (const { key, runId } of done) byRun.set(runId, (byRun.get(runId) ?? new Set()).add(key));
      const keptDays = new Map(rows.map((r) => [r.run_id, r.kept_days]));
      const noted: string[] = [];
      for (const [runId, keys] of byRun) {
        const [run] = await tx.select({ failure: runs.failure }).from(runs).where(eq(runs.id, runId)).for("update");
        const failure = run?.failure as Record<string, unknown> | null | undefined;
        if (!failure || typeof failure !== "object") continue;
        const evidence = (failure.evidence ?? {}) as Record<string, unknown>;
        const kept = Object.fromEntries(Object.entries(evidence).map(([kind, key]) => [kind, typeof key === "string" && keys.has(key) ? null : key]));
        const note = { at: now.toISOString(), keptDays: keptDays.get(runId) ?? days };
        await tx
          .update(runs)
          .set({ failure: { ...failure, evidence: kept, evidenceExpired: note } as typeof runs.$inferInsert.failure })
          .where(eq(runs.id, runId));
        noted.push(runId);
      }
      return { expired: done.length, runIds: noted };
    });
    expired += marked.expired;
    for (const runId of marked.runIds) notedRuns.add(runId);
    if (rows.length < batchSize) break;
  }
  return { expired, runs: notedRuns.size };
}
