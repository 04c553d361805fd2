import { and, eq, inArray } from "drizzle-orm";
import { cases, outbox, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES } from "../domain/vocabulary";
import { releaseSlotsOfDeadWorkers } from "../portals/sessions";
import { listDeadLocks, listPoolLocks, type JobQueue, type QueuedJob } from "../queue/job-queue";
import { continuationJob, deliveryJob } from "../queue/specs";
import { parseJobKey } from "../queue/tasks";
import { listLiveWorkers, listStaleWorkers, markWorkerStopped, type StaleWorker } from "./heartbeats";

export interface SweepResult {
  deadWorkers: StaleWorker[];
  /** Jobs that were locked by a dead owner. */
  freedJobs: QueuedJob[];
  /** Runs and write-backs given a fresh job at once. */
  resumedRuns: string[];
  resumedOutbox: string[];
  /** Portal session slots that dead workers held. */
  releasedSlots: Array<{ oemId: string; slot: number; workerId: string }>;
}

/**
 * Frees the work of dead workers and gives it back at once, ahead of queued first attempts.
 *
 * graphile-worker keeps a killed worker's jobs locked for 4 hours. Unlocking them alone is not
 * enough: the freed job keeps its old priority and `run_at`, and among the hundreds of first
 * attempts a nightly batch queued at the same instant graphile-worker picks equal keys in no
 * defined order — in practice the freed job (a new row version) came out last, and a run sat
 * 52 minutes behind the whole batch (issue 13). So each freed run first gets a fresh job under
 * its key with continuation priority, due now (replacing a locked job's key makes a new job and
 * retires the old one, so no live worker can pick the old one up in between); then the dead
 * owners' locks are released and their retired jobs removed.
 *
 * A dead owner is a worker whose heartbeat went stale, or a pool that holds a lock older than the
 * threshold while no live worker owns it (e.g. killed before it recorded its pool id).
 */
export async function sweepDeadWorkers(db: Db, queue: JobQueue, params: { selfId: string; staleAfterSeconds: number }): Promise<SweepResult> {
  const deadWorkers = await listStaleWorkers(db, { staleAfterSeconds: params.staleAfterSeconds, excludeId: params.selfId });
  const live = await listLiveWorkers(db, { staleAfterSeconds: params.staleAfterSeconds });
  const freedJobs = await listDeadLocks(db, {
    deadPoolIds: deadWorkers.flatMap((w) => (w.poolId ? [w.poolId] : [])),
    livePoolIds: live.flatMap((w) => (w.poolId && !deadWorkers.some((d) => d.id === w.id) ? [w.poolId] : [])),
    staleAfterSeconds: params.staleAfterSeconds,
  });
  // Heartbeats first: from here on, attempts of these workers count as lost (beginAttempt).
  for (const worker of deadWorkers) await markWorkerStopped(db, { id: worker.id });
  // Their portal session slots next, so the runs given back below can take them. (The portal
  // itself forgets a dead browser's session only when it expires there.)
  const releasedSlots = await releaseSlotsOfDeadWorkers(db, {
    deadWorkerIds: deadWorkers.map((w) => w.id),
    liveWorkerIds: [params.selfId, ...live.filter((w) => !deadWorkers.some((d) => d.id === w.id)).map((w) => w.id)],
    staleAfterSeconds: params.staleAfterSeconds,
  });

  const given = await giveBack(db, queue, freedJobs);

  const owners = [...new Set(freedJobs.flatMap((j) => (j.lockedBy ? [j.lockedBy] : [])))];
  await queue.forceUnlockWorkers(owners);
  // The retired copies (their keys moved to the fresh jobs) can never run again.
  await queue.removeJobs(given.retired.map((j) => j.id));
  return { deadWorkers, freedJobs, resumedRuns: given.resumedRuns, resumedOutbox: given.resumedOutbox, releasedSlots };
}

/**
 * Jobs our own pool still holds although none of our handlers runs them: graphile-worker could
 * not record their outcome (the database went away while it marked them done or failed) or lost
 * a fetched job's reply. They would stay locked for 4 hours and, counting as live, keep the orphan
 * sweep away from their runs. Each open run or pending write-back among them gets a fresh job
 * (which retires the stuck one: its key moves, its attempts run out). The stuck rows stay locked
 * until this pool stops; then the dead-worker sweep frees and removes them.
 */
export async function reclaimLeakedLocks(
  db: Db,
  queue: JobQueue,
  params: { poolId: string; graceSeconds: number; isHeld: (jobId: string) => boolean },
): Promise<{ leakedJobs: QueuedJob[]; resumedRuns: string[]; resumedOutbox: string[] }> {
  const locked = await listPoolLocks(db, { poolId: params.poolId, olderThanSeconds: params.graceSeconds });
  const leakedJobs = locked.filter((j) => j.key !== null && !params.isHeld(j.id));
  const given = await giveBack(db, queue, leakedJobs);
  return { leakedJobs, resumedRuns: given.resumedRuns, resumedOutbox: given.resumedOutbox };
}

/** Gives each open run and pending write-back among `jobs` a fresh job, due now, at continuation priority. */
async function giveBack(db: Db, queue: JobQueue, jobs: QueuedJob[]): Promise<{ resumedRuns: string[]; resumedOutbox: string[]; retired: QueuedJob[] }> {
  const keys = jobs.map((j) => parseJobKey(j.key));
  const runIds = keys.flatMap((k) => (k?.kind === "run" ? [k.runId] : []));
  const outboxIds = keys.flatMap((k) => (k?.kind === "outbox" ? [k.outboxId] : []));
  const openRuns =
    runIds.length === 0
      ? []
      : await db
          .select({ id: runs.id, oemId: cases.oemId, priority: runs.priority })
          .from(runs)
          .innerJoin(cases, eq(cases.id, runs.caseId))
          .where(and(inArray(runs.id, runIds), inArray(runs.status, [...OPEN_RUN_STATUSES])));
  const pendingOutbox =
    outboxIds.length === 0 ? [] : await db.select({ id: outbox.id }).from(outbox).where(and(inArray(outbox.id, outboxIds), eq(outbox.status, "pending")));
  await queue.addJobs([
    ...openRuns.map((r) => continuationJob({ runId: r.id, oemId: r.oemId, runPriority: r.priority, runAt: null })),
    ...pendingOutbox.map((o) => deliveryJob({ outboxId: o.id, runAt: null })),
  ]);

  const retired = jobs.filter((j) => {
    const key = parseJobKey(j.key);
    return (key?.kind === "run" && openRuns.some((r) => r.id === key.runId)) || (key?.kind === "outbox" && pendingOutbox.some((o) => o.id === key.outboxId));
  });
  return { resumedRuns: openRuns.map((r) => r.id), resumedOutbox: pendingOutbox.map((o) => o.id), retired };
}

