/**
 * The only door to graphile-worker from our code: typed `addJob`/`addJobs` over its public
 * WorkerUtils API, jobs added after the transaction that decided them commits, and reads of its
 * public `graphile_worker.jobs` view. Nothing here touches graphile-worker's private tables, so an
 * upgrade (0.18 needs Node 22) changes this file only.
 */
import { sql, type SQL } from "drizzle-orm";
import { Logger as GraphileLogger, makeWorkerUtils, type WorkerUtils } from "graphile-worker";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { TASK_PAYLOADS, type TaskId, type TaskPayload } from "./tasks";

/** One job to add: the task, its payload (validated against the task's schema), and options. */
export interface JobSpec<T extends TaskId = TaskId> {
  task: T;
  payload: TaskPayload<T>;
  /** Replaces the queued (not yet started) job with the same key; a started one keeps running. */
  jobKey?: string;
  /** Null or absent: now. */
  runAt?: Date | null;
  priority?: number;
  maxAttempts?: number;
  flags?: string[];
}

/** A job as the public `graphile_worker.jobs` view shows it. */
export interface QueuedJob {
  id: string;
  task: string;
  key: string | null;
  priority: number;
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedAt: Date | null;
}

export interface JobQueue {
  /** Where the queue reports what it could not do (e.g. jobs not added after a commit). */
  readonly log?: Logger;
  addJob<T extends TaskId>(spec: JobSpec<T>): Promise<void>;
  /** Adds many jobs in one statement (job keys replace, as with `addJob`). */
  addJobs(specs: JobSpec[]): Promise<void>;
  /** Changes the priority of queued (not running) jobs; any priority but 0. */
  reprioritise(jobIds: string[], priority: number): Promise<void>;
  /** Frees the jobs locked by dead worker pools (graphile-worker itself waits 4 hours). */
  forceUnlockWorkers(poolIds: string[]): Promise<void>;
  /** Removes unlocked jobs that can never run again. */
  removeJobs(jobIds: string[]): Promise<void>;
  release(): Promise<void>;
}

function validated(spec: JobSpec) {
  const schema: { parse(value: unknown): unknown } = TASK_PAYLOADS[spec.task];
  return {
    identifier: spec.task,
    payload: schema.parse(spec.payload),
    jobKey: spec.jobKey,
    runAt: spec.runAt ?? undefined,
    priority: spec.priority,
    maxAttempts: spec.maxAttempts,
    flags: spec.flags,
  };
}

/** The queue over graphile-worker's WorkerUtils (its own small pg pool). Callers `release()` it. */
export async function createJobQueue(connectionString: string, options: { log?: Logger } = {}): Promise<JobQueue> {
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString, noPreparedStatements: true, ...(options.log ? { logger: graphileLogger(options.log) } : {}) });
  return {
    log: options.log,
    async addJob(spec) {
      const { identifier, payload, ...rest } = validated(spec);
      await utils.addJob(identifier, payload, rest);
    },
    async addJobs(specs) {
      if (specs.length === 0) return;
      await utils.addJobs(specs.map(validated));
    },
    async reprioritise(jobIds, priority) {
      if (jobIds.length === 0) return;
      // rescheduleJobs only touches unlocked jobs: a job that already started is left alone. It
      // reads a priority of 0 as "unchanged", so 0 cannot be set this way.
      if (priority === 0) throw new Error("reprioritise: graphile-worker's rescheduleJobs cannot set priority 0");
      await utils.rescheduleJobs(jobIds, { priority });
    },
    async forceUnlockWorkers(poolIds) {
      if (poolIds.length > 0) await utils.forceUnlockWorkers(poolIds);
    },
    async removeJobs(jobIds) {
      if (jobIds.length > 0) await utils.completeJobs(jobIds);
    },
    async release() {
      await utils.release();
    },
  };
}

type PendingOp = { kind: "add"; spec: JobSpec } | { kind: "reprioritise"; jobKey: string; priority: number };

const pendingByTransaction = new WeakMap<object, PendingOp[]>();

/**
 * Runs `work` in a transaction and adds the jobs it asked for once it has committed, so a job
 * never points at rows that were rolled back. Nested calls (a savepoint inside a caller's
 * transaction) hand their jobs to the outermost one. A crash between the commit and the add
 * leaves an open run or outbox entry without a job: the sweep (`requeueOrphans`) adds it again.
 */
export async function withJobs<T>(db: Db, queue: JobQueue, work: (tx: Db) => Promise<T>): Promise<T> {
  const outer = pendingByTransaction.get(db);
  // A caller's own transaction would commit after we add the jobs: a job could then point at rows
  // that get rolled back. Such a caller must use withJobs itself.
  if (!outer && "rollback" in db) throw new Error("withJobs was given a transaction it did not open: start the outer transaction with withJobs(db, queue, …)");
  const own: PendingOp[] = [];
  const result = await db.transaction(async (tx) => {
    pendingByTransaction.set(tx, own);
    return work(tx);
  });
  if (outer) {
    outer.push(...own);
    return result;
  }
  // The transaction has committed: its outcome stands even if the database is gone now. Jobs that
  // cannot be added are the sweep's to re-queue (an open run or outbox entry without a job).
  await flush(db, queue, own).catch((error: unknown) => {
    queue.log?.warn({ err: error, jobs: own.length }, "could not add jobs after a commit; the sweep will re-queue them");
  });
  return result;
}

/**
 * Queues a job to be added when the surrounding `withJobs` transaction commits. The payload is
 * checked now, so a bad one rolls the transaction back instead of failing after the commit.
 */
export function addJobAfterCommit<T extends TaskId>(tx: Db, spec: JobSpec<T>): void {
  validated(spec);
  pendingOps(tx).push({ kind: "add", spec });
}

/** Raises (or lowers) a queued job's priority once the surrounding transaction commits. */
export function reprioritiseAfterCommit(tx: Db, params: { jobKey: string; priority: number }): void {
  pendingOps(tx).push({ kind: "reprioritise", ...params });
}

function pendingOps(tx: Db): PendingOp[] {
  const ops = pendingByTransaction.get(tx);
  if (!ops) throw new Error("jobs can only be added inside withJobs(db, queue, …)");
  return ops;
}

async function flush(db: Db, queue: JobQueue, ops: PendingOp[]): Promise<void> {
  const adds = ops.flatMap((op) => (op.kind === "add" ? [op.spec] : []));
  await retryBriefly(() => queue.addJobs(adds));
  for (const op of ops) {
    if (op.kind !== "reprioritise") continue;
    const jobs = await listJobs(db, { keys: [op.jobKey] });
    await queue.reprioritise(
      jobs.filter((j) => j.lockedAt === null).map((j) => j.id),
      op.priority,
    );
  }
}

/** The database may be restarting right after the commit; the sweep is the last resort. */
async function retryBriefly(operation: () => Promise<void>): Promise<void> {
  let delay = 200;
  for (let tries = 1; ; tries++) {
    try {
      return await operation();
    } catch (error) {
      if (tries >= 6) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}

interface JobRow extends Record<string, unknown> {
  id: string;
  task_identifier: string;
  key: string | null;
  priority: number;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_at: string | null;
}

function toQueuedJob(row: JobRow): QueuedJob {
  return {
    id: String(row.id),
    task: row.task_identifier,
    key: row.key,
    priority: row.priority,
    runAt: new Date(row.run_at),
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lockedBy: row.locked_by,
    lockedAt: row.locked_at ? new Date(row.locked_at) : null,
  };
}

/** Jobs with the given keys, from the public view. */
export async function listJobs(db: Db, params: { keys: string[] }): Promise<QueuedJob[]> {
  if (params.keys.length === 0) return [];
  const rows = await db.execute<JobRow>(sql`
    select id, task_identifier, key, priority, run_at, attempts, max_attempts, locked_by, locked_at
    from graphile_worker.jobs where key in ${sql`(${sql.join(params.keys.map((k) => sql`${k}`), sql`, `)})`}`);
  return rows.map(toQueuedJob);
}

/**
 * Locked jobs whose owner is dead: held by one of `deadPoolIds`, or locked for longer than
 * `staleAfterSeconds` by a pool that no live worker owns (e.g. a worker killed before it recorded
 * its pool id).
 */
export async function listDeadLocks(db: Db, params: { deadPoolIds: string[]; livePoolIds: string[]; staleAfterSeconds: number }): Promise<QueuedJob[]> {
  const dead = params.deadPoolIds.length > 0 ? params.deadPoolIds : ["-"];
  const live = params.livePoolIds.length > 0 ? params.livePoolIds : ["-"];
  const rows = await db.execute<JobRow>(sql`
    select id, task_identifier, key, priority, run_at, attempts, max_attempts, locked_by, locked_at
    from graphile_worker.jobs
    where locked_by is not null
      and (locked_by in ${sql`(${sql.join(dead.map((p) => sql`${p}`), sql`, `)})`}
        or (locked_at < now() - make_interval(secs => ${params.staleAfterSeconds})
            and locked_by not in ${sql`(${sql.join(live.map((p) => sql`${p}`), sql`, `)})`}))`);
  return rows.map(toQueuedJob);
}

/** Jobs locked by `poolId` whose lock is older than `olderThanSeconds`. */
export async function listPoolLocks(db: Db, params: { poolId: string; olderThanSeconds: number }): Promise<QueuedJob[]> {
  const rows = await db.execute<JobRow>(sql`
    select id, task_identifier, key, priority, run_at, attempts, max_attempts, locked_by, locked_at
    from graphile_worker.jobs
    where locked_by = ${params.poolId} and locked_at < now() - make_interval(secs => ${params.olderThanSeconds})`);
  return rows.map(toQueuedJob);
}

/**
 * A SQL condition: some job under `key` (an SQL expression) is running or can still run. Read in
 * the query that selects candidates, so a `limit` applies to the ones that really lack a job.
 */
export function liveJobExists(key: SQL): SQL {
  return sql`exists (select 1 from graphile_worker.jobs j where j.key = ${key} and (j.locked_at is not null or j.attempts < j.max_attempts))`;
}

/** graphile-worker's logs through ours; it logs every completed job at info, which we keep at debug (it costs throughput). */
export function graphileLogger(log: Logger): GraphileLogger {
  const levels: Record<string, "error" | "warn" | "debug" | "trace"> = { error: "error", warning: "warn", info: "debug", debug: "trace" };
  return new GraphileLogger((scope) => (level, message, meta) => {
    log[levels[level as string] ?? "debug"]({ scope: scope.label, ...meta }, message);
  });
}
