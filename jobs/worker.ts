import { createModelTier } from "@/lib/healing/model-tier";
import type { Env } from "@/lib/config/env";
import { EventEmitter } from "node:events";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { parseCrontab, run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { isNotNull } from "drizzle-orm";
import { oems } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { SCHEDULE_TICK_PRIORITY } from "@/lib/batches/defaults";
import type { Integrations } from "@/lib/config/integrations";
import { createCrmConnector } from "@/lib/crm";
import { connectDatabase } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import { createJobQueue, graphileLogger } from "@/lib/queue/job-queue";
import { retryJobReleasesThroughRestarts } from "@/lib/queue/release-retries";
import { oemFlag } from "@/lib/queue/tasks";
import { acquirePortalSlot, assignPortalSlot, releasePortalSlot, releaseWorkerSlots, SLOT_WANTED_CHANNEL } from "@/lib/portals/sessions";
import { requeueOrphans } from "@/lib/runs/recover-orphans";
import { beatWorker, markWorkerStopped, registerWorker, setWorkerPoolId } from "@/lib/workers/heartbeats";
import { reclaimLeakedLocks, sweepDeadWorkers } from "@/lib/workers/sweep-dead-workers";
import type { PortalAdapter } from "./automation/adapter";
import { portalAdapters } from "./automation/adapters";
import { SharedBrowser } from "./automation/browser";
import { createCrontab } from "./crontab";
import { createTaskList } from "./task-list";
import type { TaskDeps, WorkerRuntime } from "./tasks/define-task";

export interface StartWorkerOptions {
  databaseUrl: string;
  log: Logger;
  concurrency: number;
  /** Seconds without a heartbeat after which another worker counts as dead. */
  staleAfterSeconds: number;
  heartbeatIntervalMs?: number;
  pollIntervalMs?: number;
  /** Crontab text; defaults to the production crontab. */
  crontab?: string;
  integrations: Integrations;
  /** The local Chromium (unused when `integrations.browser.wsEndpoint` names a browser server). */
  chromiumPath: string;
  /** Adapters by OEM id; defaults to the production adapters. */
  adapters?: Record<string, PortalAdapter>;
  timeouts?: WorkerRuntime["timeouts"];
  /** On stop, how long running jobs may finish before they are aborted. Default 20 s. */
  drainMs?: number;
  /** Replace the task list (tests); defaults to the production list. */
  taskList?: (deps: TaskDeps) => TaskList;
  /** Tests and soak: also add a nightly-schedule tick this often (the crontab ticks once a minute). */
  scheduleTickMs?: number;
  /** The environment whose HEALING_LLM* variables configure healing's model tier; without it the tier is off. */
  llmEnv?: Env;
}

export interface WorkerHandle {
  id: string;
  poolId: string;
  events: WorkerEvents;
  /** Graceful: stops taking jobs, lets running ones finish, marks the heartbeat stopped. */
  stop(): Promise<void>;
  /** Resolves when the worker stops for any reason. */
  done: Promise<void>;
}

/**
 * Starts a graphile-worker runner with our task list, a heartbeat row, and the sweep that frees
 * jobs locked by workers whose heartbeat went stale (graphile-worker itself waits 4 hours).
 */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerHandle> {
  const { log } = options;
  retryJobReleasesThroughRestarts();
  const id = `worker-${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const handle = connectDatabase(options.databaseUrl, { max: 4, name: "nightshift-worker" });
  const adapters = options.adapters ?? portalAdapters;
  const browser = options.integrations.browser;
  const runtime: WorkerRuntime = {
    browser: new SharedBrowser({
      executablePath: options.chromiumPath,
      log,
      remote: browser.wsEndpoint ? { wsEndpoint: browser.wsEndpoint, protocol: browser.protocol } : undefined,
      recycle: { maxContexts: browser.recycleContexts, maxAgeMs: browser.recycleMinutes * 60_000 },
      // Portal session slots of this worker (lib/portals/sessions.ts).
      slots: {
        acquire: (p) => acquirePortalSlot(handle.db, { ...p, workerId: id }),
        assign: (p) => assignPortalSlot(handle.db, { ...p, workerId: id }),
        release: (p) => releasePortalSlot(handle.db, { ...p, workerId: id }),
      },
    }),
    store: createArtifactStore(options.integrations),
    crm: createCrmConnector(options.integrations.crm),
    integrations: options.integrations,
    adapterFor: (oemId) => adapters[oemId],
    timeouts: options.timeouts,
    // One model tier per worker; its budgets and breaker live in Postgres (llm_calls), shared by all workers.
    ...(options.llmEnv ? { modelTier: createModelTier({ db: handle.db, env: options.llmEnv, log }) } : {}),
  };
  const queue = await createJobQueue(options.databaseUrl, { log });
  const deps: TaskDeps = { db: handle.db, queue, log, workerId: id, staleAfterSeconds: options.staleAfterSeconds, runtime };

  // Jobs of a paused portal (credentials refused) stay queued until ops resume it. Asked on every
  // job fetch (3 rows, indexed): a cache would let a job slip through right after a pause.
  const forbiddenFlags = async () => {
    const paused = await handle.db.select({ id: oems.id }).from(oems).where(isNotNull(oems.pausedAt));
    return paused.map((p) => oemFlag(p.id));
  };

  await registerWorker(handle.db, { id, host: os.hostname(), pid: process.pid, concurrency: options.concurrency });
  // A job that found its portal's slots full asks for idle signed-in sessions to be given back.
  await handle.sql.listen(SLOT_WANTED_CHANNEL, (oemId) => void runtime.browser.releaseIdle(oemId)).catch((error: unknown) => log.warn({ err: error }, "could not listen for portal slot requests"));

  const events: WorkerEvents = new EventEmitter();
  let poolId = "";
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
  });
  // Jobs our handlers hold, and when each was last handed back: a lock of ours on anything else
  // has leaked (see reclaimLeakedLocks).
  const held = new Set<string>();
  const releasedAt = new Map<string, number>();
  events.on("job:start", ({ job }) => {
    held.add(job.id);
  });
  events.on("job:complete", ({ job }) => {
    held.delete(job.id);
    releasedAt.set(job.id, Date.now());
  });
  events.on("job:error", ({ job, error }) => {
    log.warn({ task: job.task_identifier, jobId: job.id, err: error }, "job failed");
  });

  let runner: Runner;
  try {
    runner = await run({
      connectionString: options.databaseUrl,
      concurrency: options.concurrency,
      maxPoolSize: options.concurrency + 2,
      pollInterval: options.pollIntervalMs ?? 2000,
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: options.drainMs ?? 20_000,
      taskList: (options.taskList ?? createTaskList)(deps),
      parsedCronItems: parseCrontab(options.crontab ?? createCrontab()),
      forbiddenFlags,
      logger: graphileLogger(log),
      events,
    });
  } catch (error) {
    await markWorkerStopped(handle.db, { id }).catch(() => {});
    await runtime.browser.close();
    await queue.release();
    await releaseWorkerSlots(handle.db, { workerId: id }).catch(() => {});
    await handle.close();
    throw error;
  }
  await setWorkerPoolId(handle.db, { id, poolId });
  const heartbeatMs = options.heartbeatIntervalMs ?? 10_000;
  // After a database outage (or at start) the heartbeats of live workers may be stale too, until
  // they beat again: judge others dead only after two of our own beats went through.
  let healthySince: number | null = null;
  let beating = false;
  const beat = async () => {
    // A slow database must not stack sweeps on top of each other.
    if (beating) return;
    beating = true;
    try {
      await beatWorker(handle.db, { id });
      healthySince ??= Date.now();
      if (Date.now() - healthySince >= 2 * heartbeatMs) {
        const swept = await sweepDeadWorkers(handle.db, queue, { selfId: id, staleAfterSeconds: options.staleAfterSeconds });
        for (const dead of swept.deadWorkers) log.warn({ deadWorker: dead.id, lastSeenAt: dead.lastSeenAt }, "a worker's heartbeat went stale; its work was given back");
        if (swept.freedJobs.length > 0) log.warn({ freedJobs: swept.freedJobs.length, resumedRuns: swept.resumedRuns, resumedOutbox: swept.resumedOutbox.length }, "freed jobs locked by dead workers");
      }
      const leakGraceMs = Math.max(5_000, 2 * heartbeatMs);
      for (const [jobId, at] of releasedAt) if (Date.now() - at > leakGraceMs) releasedAt.delete(jobId);
      const leaked = await reclaimLeakedLocks(handle.db, queue, {
        poolId,
        graceSeconds: leakGraceMs / 1000,
        isHeld: (jobId) => held.has(jobId) || releasedAt.has(jobId),
      });
      if (leaked.resumedRuns.length + leaked.resumedOutbox.length > 0) {
        log.warn({ leakedJobs: leaked.leakedJobs.length, resumedRuns: leaked.resumedRuns, resumedOutbox: leaked.resumedOutbox }, "gave back work whose job our pool still held after its outcome could not be recorded");
      }
      // A job is added right after its transaction commits; a run quiet for two beats without one
      // lost it (its process died in between, or the database restarted under it).
      const requeued = await requeueOrphans(handle.db, queue, { graceSeconds: Math.max(5, (2 * heartbeatMs) / 1000), staleAfterSeconds: options.staleAfterSeconds });
      if (requeued.runs + requeued.outbox > 0) log.warn(requeued, "re-queued open runs or write-backs that had lost their job");
    } catch (error) {
      healthySince = null;
      // The database may be restarting; the next beat tries again.
      log.warn({ err: error }, "heartbeat failed");
    } finally {
      beating = false;
    }
  };
  await beat();
  const timer = setInterval(() => void beat(), heartbeatMs);
  const scheduleTick = options.scheduleTickMs
    ? setInterval(() => {
        queue.addJob({ task: "dispatch_night", payload: {}, priority: SCHEDULE_TICK_PRIORITY, maxAttempts: 1 }).catch((error: unknown) => log.warn({ err: error }, "could not add a schedule tick"));
      }, options.scheduleTickMs)
    : undefined;

  let stopping: Promise<void> | undefined;
  const cleanup = async () => {
    clearInterval(timer);
    clearInterval(scheduleTick);
    await markWorkerStopped(handle.db, { id }).catch((error: unknown) => log.warn({ err: error }, "could not mark worker stopped"));
    await queue.release();
    // Signs out cached portal sessions and gives back their slots (any left over too).
    await runtime.browser.close();
    await releaseWorkerSlots(handle.db, { workerId: id }).catch((error: unknown) => log.warn({ err: error }, "could not release portal session slots"));
    await handle.close();
  };
  const done = runner.promise.then(
    () => {},
    (error: unknown) => log.error({ err: error }, "worker stopped with an error"),
  );
  log.info({ workerId: id, concurrency: options.concurrency }, "worker started");

  return {
    id,
    poolId,
    events,
    done,
    stop() {
      stopping ??= (async () => {
        await runner.stop();
        await done;
        await cleanup();
        log.info({ workerId: id }, "worker stopped");
      })();
      return stopping;
    },
  };
}
