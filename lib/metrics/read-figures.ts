/**
 * What /api/metrics reports, read from Postgres at scrape time (so any web process can serve it,
 * whichever worker did the work). Each figure is one small grouped query on an indexed column or
 * a small table; attempts go through the incremental totals (attempt-totals.ts).
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { readProgress } from "../batches/progress";
import type { BatchStatus } from "../domain/vocabulary";
import { listLiveWorkers } from "../workers/heartbeats";
import { readAttemptTotals, type AttemptTotals, type AttemptTotalsCache } from "./attempt-totals";

/** graphile-worker job states: ready (due, unlocked), scheduled (due later), locked (a worker holds it), failed (out of attempts). */
export const JOB_STATES = ["ready", "scheduled", "locked", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface CurrentBatchFigures {
  batchId: string;
  trigger: string;
  status: BatchStatus;
  runs: Partial<Record<string, number>>;
  total: number;
  remaining: number;
  /** Unix seconds; null when not projected (nothing left, nothing finished yet). */
  projectedFinish: number | null;
  deadline: number | null;
  atRisk: boolean;
  throughputPerSecond: number | null;
}

export interface MetricFigures {
  jobs: Array<{ task: string; state: JobState; count: number }>;
  runs: Array<{ status: string; count: number }>;
  attempts: AttemptTotals;
  outbox: Array<{ status: string; count: number }>;
  /** Age (seconds) of the oldest write-back not yet delivered; 0 when none waits. */
  oldestPendingOutboxSeconds: number;
  portalSessions: Array<{ oemId: string; state: "busy" | "idle"; count: number }>;
  workersAlive: number;
  /** Sum of WORKER_CONCURRENCY over the live workers. */
  workerJobSlots: number;
  currentBatch: CurrentBatchFigures | null;
}

export interface ReadFiguresParams {
  staleAfterSeconds: number;
  attemptTotals: AttemptTotalsCache;
  now?: Date;
}

export async function readMetricFigures(db: Database, params: ReadFiguresParams): Promise<MetricFigures> {
  const now = params.now ?? new Date();
  const [jobs, runs, attempts, outbox, oldest, sessions, workers, currentBatch] = await Promise.all([
    db.execute<{ task: string; state: JobState; n: number }>(sql`
      select task_identifier as task,
             case when locked_by is not null then 'locked'
                  when attempts >= max_attempts then 'failed'
                  when run_at > now() then 'scheduled'
                  else 'ready' end as state,
             count(*)::int as n
      from graphile_worker.jobs
      group by 1, 2`),
    db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from runs group by status`),
    readAttemptTotals(db, params.attemptTotals, { now }),
    db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from outbox group by status`),
    db.execute<{ age: number | null }>(sql`select extract(epoch from now() - min(created_at))::float8 as age from outbox where status = 'pending'`),
    db.execute<{ oem_id: string; busy: boolean; n: number }>(sql`select oem_id, run_id is not null as busy, count(*)::int as n from portal_sessions group by 1, 2`),
    listLiveWorkers(db, { staleAfterSeconds: params.staleAfterSeconds }),
    readCurrentBatch(db, now),
  ]);
  return {
    jobs: jobs.map((r) => ({ task: r.task, state: r.state, count: Number(r.n) })),
    runs: runs.map((r) => ({ status: r.status, count: Number(r.n) })),
    attempts,
    outbox: outbox.map((r) => ({ status: r.status, count: Number(r.n) })),
    oldestPendingOutboxSeconds: Math.max(0, Number(oldest[0]?.age ?? 0)),
    portalSessions: sessions.map((r) => ({ oemId: r.oem_id, state: r.busy ? "busy" : "idle", count: Number(r.n) })),
    workersAlive: workers.length,
    workerJobSlots: workers.reduce((n, w) => n + w.concurrency, 0),
    currentBatch,
  };
}

/** The batch the overview calls current: a running one of the last two days, else the latest created. */
async function readCurrentBatch(db: Database, now: Date): Promise<CurrentBatchFigures | null> {
  const twoDaysAgo = new Date(now.getTime() - 2 * 86_400_000).toISOString();
  const [batch] = await db.execute<{ id: string; trigger: string; status: BatchStatus; deadline: string | null; started_at: string | null }>(sql`
    select id, trigger, status, deadline, started_at from batches
    order by (status = 'running' and created_at > ${twoDaysAgo}::timestamptz) desc, created_at desc
    limit 1`);
  if (!batch) return null;
  const progress = await readProgress(
    db,
    { id: batch.id, status: batch.status, deadline: batch.deadline ? new Date(batch.deadline) : null, startedAt: batch.started_at ? new Date(batch.started_at) : null },
    { now },
  );
  const seconds = (date: Date | null) => (date ? date.getTime() / 1000 : null);
  return {
    batchId: batch.id,
    trigger: batch.trigger,
    status: batch.status,
    runs: progress.counts,
    total: progress.total,
    remaining: progress.remaining,
    projectedFinish: seconds(progress.projectedFinish),
    deadline: seconds(progress.deadline),
    atRisk: progress.atRisk,
    throughputPerSecond: progress.throughput.perMinute === null ? null : progress.throughput.perMinute / 60,
  };
}
