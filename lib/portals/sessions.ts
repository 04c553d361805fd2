/**
 * Portal session slots: at most `limit` browser sessions on a portal at any instant, across every
 * worker process. A slot is a row of `portal_sessions` (PK oem_id × slot, slot in [0, limit)); a
 * worker holds it from before it opens a browser context for the portal until that context is
 * signed out and closed — also while a signed-in context waits idle for reuse (run_id null then).
 * A dead worker's slots are released by the heartbeat sweep (`releaseSlotsOfDeadWorkers`).
 */
import { and, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import { batches, cases, portalSessions, runs } from "@/drizzle/schema";
import { parseBatchPlan, portalLimit } from "../batches/recipe";
import { getSavedRecipe } from "../batches/recipe-store";
import type { Db } from "../db/client";
import { addJobAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { submitCaseJob } from "../queue/specs";

/** A job that found no free slot comes back after about this long (jittered ±50 %). */
export const SLOT_RETRY_DELAY_MS = 1_000;
/** Channel on which a job that found no free slot asks workers to give back idle sessions of its portal. */
export const SLOT_WANTED_CHANNEL = "nightshift_portal_slot_wanted";

/**
 * The slot numbers a new session may take, lowest first; none when `held` sessions (any number,
 * including ones above a lowered limit) already reach the limit.
 */
export function freeSlotNumbers(limit: number, held: readonly number[]): number[] {
  if (held.length >= limit) return [];
  const taken = new Set(held);
  const free: number[] = [];
  for (let slot = 0; slot < limit; slot++) if (!taken.has(slot)) free.push(slot);
  return free;
}

/** The delay before a job that found no free slot runs again: `SLOT_RETRY_DELAY_MS` ± 50 %. */
export function slotRetryDelayMs(random: () => number = Math.random): number {
  return Math.round(SLOT_RETRY_DELAY_MS * (0.5 + random()));
}

export interface PortalSlotParams {
  oemId: string;
  workerId: string;
}

/**
 * Takes a free slot of a portal for this worker, or returns null when the portal's sessions
 * already reach `limit`. Runs of different batches may carry different limits (an urgent run uses
 * the saved recipe), so the count and the insert are serialised per portal with a transaction
 * advisory lock; the primary key stays the last guard (ON CONFLICT DO NOTHING, then the next number).
 */
export async function acquirePortalSlot(db: Db, params: PortalSlotParams & { limit: number; runId: string | null }): Promise<number | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`nightshift:portal-slots:${params.oemId}`}, 0))`);
    if (params.runId && !(await withinBatchConcurrency(tx, params.runId))) return null;
    const held = await tx.select({ slot: portalSessions.slot }).from(portalSessions).where(eq(portalSessions.oemId, params.oemId));
    for (const slot of freeSlotNumbers(params.limit, held.map((h) => h.slot))) {
      const inserted = await tx
        .insert(portalSessions)
        .values({ oemId: params.oemId, slot, workerId: params.workerId, runId: params.runId })
        .onConflictDoNothing()
        .returning({ slot: portalSessions.slot });
      if (inserted.length > 0) return slot;
    }
    return null;
  });
}

/**
 * Hands a slot this worker already holds (an idle signed-in session) to a run, or marks it idle
 * (`runId` null). False when the slot is no longer this worker's (the sweep took it) or, for a run,
 * when the portal's sessions exceed `limit` (the limit was lowered): the caller then drops it.
 */
export async function assignPortalSlot(db: Db, params: PortalSlotParams & { slot: number; runId: string | null; limit?: number }): Promise<boolean> {
  const withinLimit =
    params.limit === undefined ? sql`true` : sql`${params.slot} < ${params.limit} and (select count(*) from portal_sessions p where p.oem_id = ${params.oemId}) <= ${params.limit}`;
  return db.transaction(async (tx) => {
    if (params.runId && !(await withinBatchConcurrency(tx, params.runId))) return false;
    const updated = await tx
      .update(portalSessions)
      .set({ runId: params.runId })
      .where(and(eq(portalSessions.oemId, params.oemId), eq(portalSessions.slot, params.slot), eq(portalSessions.workerId, params.workerId), withinLimit))
      .returning({ slot: portalSessions.slot });
    return updated.length > 0;
  });
}

/**
 * The recipe's overall `concurrency`: a batch's runs hold at most that many portal sessions at
 * once, across all portals and workers. Serialised per batch with a transaction advisory lock (taken
 * after the portal's, never before it, so two takers cannot wait on each other). A run outside a
 * batch has no such cap.
 */
async function withinBatchConcurrency(tx: Db, runId: string): Promise<boolean> {
  const [row] = await tx.select({ batchId: runs.batchId, parameters: batches.parameters }).from(runs).innerJoin(batches, eq(batches.id, runs.batchId)).where(eq(runs.id, runId));
  if (!row?.batchId) return true;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`nightshift:batch-sessions:${row.batchId}`}, 0))`);
  const [held] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from portal_sessions p join runs r on r.id = p.run_id
    where r.batch_id = ${row.batchId} and r.id <> ${runId}`);
  return (held?.n ?? 0) < parseBatchPlan(row.parameters).concurrency;
}

/** Gives a slot back (only if this worker still holds it). Call after the session was signed out. */
export async function releasePortalSlot(db: Db, params: PortalSlotParams & { slot: number }): Promise<void> {
  await db
    .delete(portalSessions)
    .where(and(eq(portalSessions.oemId, params.oemId), eq(portalSessions.slot, params.slot), eq(portalSessions.workerId, params.workerId)));
}

/** Gives back every slot a worker holds (its own shutdown, after its sessions were signed out). */
export async function releaseWorkerSlots(db: Db, params: { workerId: string }): Promise<number> {
  const deleted = await db.delete(portalSessions).where(eq(portalSessions.workerId, params.workerId)).returning({ slot: portalSessions.slot });
  return deleted.length;
}

/**
 * The heartbeat sweep's part: slots of dead workers, and slots older than the stale threshold whose
 * worker is not among the live ones (its heartbeat was already marked stopped by an earlier sweep).
 */
export async function releaseSlotsOfDeadWorkers(
  db: Db,
  params: { deadWorkerIds: string[]; liveWorkerIds: string[]; staleAfterSeconds: number },
): Promise<Array<{ oemId: string; slot: number; workerId: string }>> {
  const dead = params.deadWorkerIds.length > 0 ? inArray(portalSessions.workerId, params.deadWorkerIds) : sql`false`;
  const orphaned = and(
    params.liveWorkerIds.length > 0 ? notInArray(portalSessions.workerId, params.liveWorkerIds) : sql`true`,
    lt(portalSessions.acquiredAt, sql`now() - make_interval(secs => ${params.staleAfterSeconds})`),
  );
  return db
    .delete(portalSessions)
    .where(sql`${dead} or ${orphaned}`)
    .returning({ oemId: portalSessions.oemId, slot: portalSessions.slot, workerId: portalSessions.workerId });
}

/**
 * The portal and its session limit for a run: its batch's recipe, or the saved recipe for a run
 * outside a batch (an urgent webhook). Null when the run does not exist.
 */
export async function portalLimitForRun(db: Db, params: { runId: string }): Promise<{ oemId: string; limit: number } | null> {
  const [row] = await db
    .select({ oemId: cases.oemId, batchId: runs.batchId, parameters: batches.parameters })
    .from(runs)
    .innerJoin(cases, eq(cases.id, runs.caseId))
    .leftJoin(batches, eq(batches.id, runs.batchId))
    .where(eq(runs.id, params.runId));
  if (!row) return null;
  const recipe = row.batchId ? parseBatchPlan(row.parameters) : (await getSavedRecipe(db)).recipe;
  return { oemId: row.oemId, limit: portalLimit(recipe, row.oemId) };
}

/** The slots a portal's sessions hold now (tests, diagnostics). */
export async function listPortalSlots(db: Db, params: { oemId?: string } = {}) {
  return db
    .select({ oemId: portalSessions.oemId, slot: portalSessions.slot, workerId: portalSessions.workerId, runId: portalSessions.runId, acquiredAt: portalSessions.acquiredAt })
    .from(portalSessions)
    .where(params.oemId ? eq(portalSessions.oemId, params.oemId) : sql`true`)
    .orderBy(portalSessions.oemId, portalSessions.slot);
}

/**
 * Gives a run's job back to the queue because its portal has no free slot: the same job key (the
 * running job's key moves to the new one, which graphile-worker allows for a locked job), the same
 * priority, due a moment later. No attempt is begun, so the run stays queued / retry_scheduled and
 * no attempt is counted. Workers holding idle sessions of the portal are asked to give them back.
 */
export async function deferForPortalSlot(
  db: Db,
  queue: JobQueue,
  params: { runId: string; oemId: string; priority: number; random?: () => number },
): Promise<Date> {
  const runAt = new Date(Date.now() + slotRetryDelayMs(params.random));
  await withJobs(db, queue, async (tx) => {
    addJobAfterCommit(tx, submitCaseJob({ runId: params.runId, oemId: params.oemId, priority: params.priority, runAt }));
    await tx.execute(sql`select pg_notify(${SLOT_WANTED_CHANNEL}, ${params.oemId})`);
  });
  return runAt;
}
