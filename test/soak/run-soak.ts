import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { isNotNull, sql } from "drizzle-orm";
import { batches } from "@/drizzle/schema";
import type { MorningDigest } from "@/lib/batches/digest-types";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { connectDatabase, waitForDatabase, type DatabaseHandle } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger, type Logger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { DEFAULT_SCHEDULE, type Schedule } from "@/lib/schedule/schedule";
import { saveSchedule } from "@/lib/schedule/schedule-store";
import { createJobQueue, type JobQueue } from "@/lib/queue/job-queue";
import { OEM_IDS, OEMS, type OemId } from "../../sandbox/domain";
import { pick, seededRandom } from "../../sandbox/random";
import { unitIdFor } from "../../sandbox/seed";
import { startSandbox, type Sandbox } from "../../sandbox/server";
import { buildReport, type SoakHealing, type SoakInvariants, type SoakKill, type SoakReport, type SoakRunRecord, type SoakSlowRun, type WorkerRssSample } from "./report";

/** Fault rates per attempt (how often an attempt meets each kind of trouble). */
export interface FaultMix {
  transient: number;
  popups: number;
  rejects: number;
  drift: number;
}

export interface ChaosPlan {
  /** SIGKILL the worker every [min, max] seconds (random), restarting it 1 s later; null = never. */
  killEverySeconds: [number, number] | null;
  /** Restart PostgreSQL once, when this share of the batch is done; null = never. */
  postgresRestartAt: number | null;
}

export interface SoakOptions {
  cases: number;
  concurrency: number;
  faults: FaultMix;
  chaos: ChaosPlan;
  seed: number;
  outDir: string;
  pgPort: number;
  timeoutMinutes: number;
  /**
   * `--night`: no batch is planned by the soak. The schedule (in America/Chicago) is set to start a
   * minute from now with a deadline `deadlineMinutes` after the slot; the workers' dispatcher
   * starts the night's batch, the watch builds the morning digest, and the report says whether the
   * night kept its promise. null: the soak plans one batch itself, as before.
   */
  night: { deadlineMinutes: number } | null;
}

/** The zone of a soak night: not UTC, so the schedule's zone arithmetic is on the path. */
export const SOAK_NIGHT_TIME_ZONE = "America/Chicago";

/** What a `--night` soak found: the night's batch against its deadline, and its digest. */
export interface SoakNight {
  nightKey: string | null;
  scheduledFor: string | null;
  batchStartedAt: string | null;
  deadline: string | null;
  batchFinishedAt: string | null;
  /** Every run settled before the deadline. */
  finishedBeforeDeadline: boolean;
  backfilled: boolean;
  late: boolean;
  digestBuilt: boolean;
  metSla: boolean | null;
  headline: string | null;
  digestGroups: number;
  terminalFails: number;
  /** Terminal fails whose CRM case received a note (each exactly once: see the duplicate-effects invariant). */
  terminalFailsWithCrmNote: number;
}

export const DEFAULT_FAULTS: FaultMix = { transient: 0.1, popups: 0.03, rejects: 0.01, drift: 0.005 };
export const NO_FAULTS: FaultMix = { transient: 0, popups: 0, rejects: 0, drift: 0 };
export const DEFAULT_CHAOS: ChaosPlan = { killEverySeconds: [20, 45], postgresRestartAt: 0.4 };

/** Rough number of portal requests in one attempt (login, search, form, submit, confirmation). */
const REQUESTS_PER_ATTEMPT = 8;
const CRM_TOKEN = "soak-crm-token";

/** The soak's worker liveness settings (production: 60 s stale, 10 s heartbeat). */
export const SOAK_STALE_AFTER_SECONDS = 10;
export const SOAK_HEARTBEAT_SECONDS = 2;

/**
 * How soon a killed worker's run must be worked on again: the stale threshold, two sweeps (the
 * restarted worker's own start-up guard), and 30 s for a worker to boot and a slot to free. With
 * production's settings the same rule gives 60 + 20 + 30 = 110 s, within the 2-minute promise.
 */
export function recoveryLimitSeconds(staleAfterSeconds: number, heartbeatSeconds: number): number {
  return staleAfterSeconds + 2 * heartbeatSeconds + 30;
}

/** Per-request sandbox knobs that produce the per-attempt fault mix. */
export function knobsFor(mix: FaultMix) {
  const perRequest = mix.transient / REQUESTS_PER_ATTEMPT;
  const portal = {
    error5xxRate: round4(perRequest * 0.6),
    hangRate: round4(perRequest * 0.1),
    lostResponseRate: round4(mix.transient * 0.3),
    popupRate: mix.popups,
    rejectRate: mix.rejects,
    domDriftRate: mix.drift,
  };
  return {
    portals: { arden: portal, borealis: portal, corvid: portal },
    crm: { error500Rate: round4(mix.transient / 2), error429Rate: round4(mix.transient / 4) },
  };
}

function round4(v: number) {
  return Math.round(v * 10_000) / 10_000;
}

/**
 * Runs a whole batch against the sandbox with fault knobs on, optionally killing the worker and
 * restarting PostgreSQL, then checks the invariants from the sandbox's own records.
 */
export async function runSoak(options: SoakOptions, log: Logger = createLogger({ level: "info", name: "soak" })): Promise<SoakReport> {
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const random = seededRandom(options.seed);
  let postgres: EmbeddedPostgres | undefined = await startEmbeddedPostgres({ dataDir: path.join(options.outDir, "pg"), port: options.pgPort, log, maxConnections: 200 });
  const dbUrl = postgres.url;
  await waitForDatabase(dbUrl);
  await migrateDatabase(dbUrl);
  const handle: DatabaseHandle = connectDatabase(dbUrl, { max: 4, name: "soak" });
  // Paused while the cases are made: a plain soak plans its own batch, a night sets its slot below.
  await saveSchedule(handle.db, { schedule: { ...DEFAULT_SCHEDULE, enabled: false }, actor: "soak" });
  const queue: JobQueue = await createJobQueue(dbUrl, { log });
  const logDir = path.join(options.outDir, "workers");
  mkdirSync(logDir, { recursive: true });
  const sandbox: Sandbox = await startSandbox({ port: 0, seed: false, crmToken: CRM_TOKEN, random: seededRandom(options.seed + 1), hangTimeoutMs: 12_000 });
  const workers: ChildProcess[] = [];
  let worker: ChildProcess | undefined;
  const killRecords: KillRecord[] = [];
  let kills = 0;
  let pgRestarts = 0;
  let workerStarts = 0;
  let finished = false;

  // Worker memory, sampled every few seconds from /proc (the worker alone, and with its Chromium).
  const rssSamples: WorkerRssSample[] = [];
  const spawnedAt = new Map<number, number>();
  const rssTimer = setInterval(() => {
    const current = worker;
    if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
    const sample = sampleRss(current.pid);
    if (sample) rssSamples.push({ pid: current.pid, ageMs: Date.now() - (spawnedAt.get(current.pid) ?? Date.now()), ...sample });
  }, RSS_SAMPLE_MS);
  rssTimer.unref();

  const startWorker = () => {
    workerStarts += 1;
    const child = spawn(process.execPath, ["--import", "tsx", "jobs/main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        NIGHTSHIFT_SUPERVISED: "on",
        SANDBOX: "on",
        SANDBOX_PORT: String(sandbox.port),
        CRM_TOKEN,
        WORKER_CONCURRENCY: String(options.concurrency),
        WORKER_STALE_AFTER_SECONDS: String(SOAK_STALE_AFTER_SECONDS),
        WORKER_HEARTBEAT_SECONDS: String(SOAK_HEARTBEAT_SECONDS),
        RETRY_MAX_ATTEMPTS: "3",
        RETRY_BASE_DELAY_SECONDS: "4",
        RETRY_MIN_DELAY_SECONDS: "2",
        RETRY_MAX_DELAY_SECONDS: "8",
        PORTAL_NAVIGATION_TIMEOUT_SECONDS: "8",
        PORTAL_ACTION_TIMEOUT_SECONDS: "8",
        ATTEMPT_TIMEOUT_SECONDS: "90",
        ARTIFACTS_DIR: path.join(options.outDir, "artifacts"),
        LOG_LEVEL: "info",
        LOG_FORMAT: "json",
        SCHEDULE_TICK_SECONDS: "5",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // One JSON-lines log per worker start, so a slow run can be explained afterwards.
    const logFile = createWriteStream(path.join(logDir, `worker-${String(workerStarts).padStart(3, "0")}-pid${child.pid ?? "x"}.jsonl`));
    child.stdout?.pipe(logFile);
    child.stderr?.pipe(logFile);
    child.once("exit", (code, signal) => {
      // A worker that stops by itself (e.g. its runner gave up during the Postgres restart) is
      // restarted like the launcher's supervisor would; chaos kills restart on their own.
      if (finished || child !== worker || signal === "SIGKILL") return;
      log.warn({ pid: child.pid, code, signal }, "the worker exited by itself; restarting it");
      setTimeout(() => {
        if (!finished && child === worker) startWorker();
      }, 1000);
    });
    if (child.pid) spawnedAt.set(child.pid, Date.now());
    workers.push(child);
    worker = child;
  };

  const startedAt = new Date();
  try {
    await syncOems(handle.db, { portalUrls: {} });
    await createCases(sandbox, options.cases, random);
    const crm = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    await syncCasesFromCrm(handle.db, { crm, log });
    sandbox.setFaults(knobsFor(options.faults));
    if (options.night) {
      const schedule = soakNightSchedule(new Date(), options.night.deadlineMinutes);
      await saveSchedule(handle.db, { schedule, actor: "soak" });
      log.info({ schedule }, "soak night: the schedule starts the batch; starting the worker");
      startWorker();
      // The dispatcher ticks every few seconds (SCHEDULE_TICK_SECONDS); the slot is at most 2 min away.
      await waitFor(async () => (await nightBatch(handle))?.startedAt, 5 * 60_000, "the night's batch did not start within 5 minutes of its slot");
    } else {
      const batch = await planBatch(handle.db, queue, {
        trigger: "manual",
        plan: { ...DEFAULT_RECIPE, order: "oldest_first", reason: "soak" },
        recipeVersion: null,
        defaultMaxAttempts: 3,
        deadline: new Date(Date.now() + 6 * 3_600_000),
        createdBy: "soak",
      });
      log.info({ cases: batch.kind === "planned" ? batch.caseCount : 0 }, "soak batch planned; starting the worker");
      startWorker();
    }

    const deadline = Date.now() + options.timeoutMinutes * 60_000;
    let nextKill = options.chaos.killEverySeconds ? Date.now() + randomBetween(random, options.chaos.killEverySeconds) * 1000 : Infinity;
    let lastProgressLog = 0;
    for (;;) {
      await sleep(500);
      const progress = await safeProgress(handle);
      if (progress && progress.open === 0 && progress.pendingOutbox === 0) break;
      if (Date.now() > deadline) {
        log.error(progress ?? {}, "soak timed out");
        break;
      }
      if (progress && Date.now() - lastProgressLog > 15_000) {
        lastProgressLog = Date.now();
        log.info(progress, "soak progress");
      }
      if (progress && options.chaos.postgresRestartAt !== null && pgRestarts === 0 && progress.done / progress.total >= options.chaos.postgresRestartAt && postgres) {
        log.warn("chaos: restarting PostgreSQL");
        await postgres.stop();
        await sleep(1500);
        postgres = await startEmbeddedPostgres({ dataDir: path.join(options.outDir, "pg"), port: options.pgPort, log, maxConnections: 200 });
        pgRestarts += 1;
      }
      if (Date.now() >= nextKill && progress && progress.open > 0 && worker?.pid) {
        const pid = worker.pid;
        const lookedAt = new Date();
        const inFlight = await inFlightRuns(handle, pid);
        const killedAt = new Date();
        log.warn({ pid, inFlight: inFlight.length }, "chaos: SIGKILL the worker");
        worker.kill("SIGKILL");
        kills += 1;
        killRecords.push({ at: killedAt, lookedAt, pid, runIds: inFlight });
        await sleep(1000);
        startWorker();
        nextKill = Date.now() + randomBetween(random, options.chaos.killEverySeconds!) * 1000;
      }
    }
    const finishedAt = new Date();
    // A night ends with its morning digest (the watch builds it right after the last run settles).
    const night = options.night ? await nightReport(handle, sandbox, log) : null;
    finished = true;
    const runs = await runRecords(handle);
    const invariants = await checkInvariants(sandbox);
    return buildReport({
      startedAt,
      finishedAt,
      options: { cases: options.cases, concurrency: options.concurrency, faults: options.faults, chaos: options.chaos, seed: options.seed },
      runs,
      invariants,
      workerKills: kills,
      postgresRestarts: pgRestarts,
      kills: await killReports(handle, killRecords),
      recoveryLimitSeconds: recoveryLimitSeconds(SOAK_STALE_AFTER_SECONDS, SOAK_HEARTBEAT_SECONDS),
      slowestRuns: await slowestRuns(handle, 10),
      night,
      workerRss: rssSamples,
      healing: await healingFigures(handle),
    });
  } finally {
    finished = true;
    clearInterval(rssTimer);
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(workers.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once("exit", r))));
    await queue.release();
    await handle.close();
    await sandbox.close();
    await postgres?.stop();
  }
}

const RSS_SAMPLE_MS = 2_000;

/** VmRSS of a process and of it with all its descendants, in bytes; null when it is gone. */
function sampleRss(root: number): { rssBytes: number; treeRssBytes: number } | null {
  const rssOf = (pid: number): number | null => {
    try {
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return match ? Number(match[1]) * 1024 : 0;
    } catch {
      return null;
    }
  };
  const own = rssOf(root);
  if (own === null) return null;
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  let tree = own;
  for (const [pid] of parents) {
    for (let p = parents.get(pid); p && p > 1; p = parents.get(p)) {
      if (p === root) {
        tree += rssOf(pid) ?? 0;
        break;
      }
    }
  }
  return { rssBytes: own, treeRssBytes: tree };
}

async function createCases(sandbox: Sandbox, count: number, random: () => number): Promise<void> {
  const kinds: Record<OemId, string[]> = { arden: [], borealis: [], corvid: [] };
  for (const oem of OEM_IDS) kinds[oem] = OEMS[oem].kinds.map((k) => k.value);
  const queue = Array.from({ length: count }, (_, i) => i);
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const oem = OEM_IDS[i % OEM_IDS.length]!;
      const response = await fetch(`${sandbox.url}/crm/api/cases`, {
        method: "POST",
        headers: { authorization: `Bearer ${CRM_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ oem, kind: pick(random, kinds[oem]), unitId: unitIdFor(oem, random), redactionSensitive: random() < 0.1 }),
      });
      if (response.status !== 201) throw new Error(`creating a soak case failed: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function safeProgress(handle: DatabaseHandle) {
  try {
    const [row] = await handle.db.execute<{ total: number; open: number; done: number; pending_outbox: number }>(sql`
      select count(*)::int as total,
             count(*) filter (where status in ('queued', 'running', 'retry_scheduled'))::int as open,
             count(*) filter (where status not in ('queued', 'running', 'retry_scheduled'))::int as done,
             (select count(*)::int from outbox where status = 'pending') as pending_outbox
      from runs`);
    return row ? { total: row.total, open: row.open, done: row.done, pendingOutbox: row.pending_outbox } : undefined;
  } catch {
    return undefined; // PostgreSQL restarting
  }
}

/** Runs whose attempt was in the hands of the worker with this pid (its heartbeat row says which). */
async function inFlightRuns(handle: DatabaseHandle, pid: number): Promise<string[]> {
  try {
    const rows = await handle.db.execute<{ run_id: string }>(sql`
      select a.run_id from attempts a join worker_heartbeats w on w.id = a.worker_id
      where a.status = 'running' and w.pid = ${pid} and w.stopped_at is null`);
    return rows.map((r) => r.run_id);
  } catch {
    return []; // PostgreSQL restarting
  }
}

/** A SIGKILL: when, which worker, and the runs its heartbeat row said it held when we looked (just before). */
interface KillRecord {
  at: Date;
  lookedAt: Date;
  pid: number;
  runIds: string[];
}

/**
 * Per kill, each in-flight run and the seconds until it was worked on again: its next attempt
 * started, or the run ended without one (e.g. quarantined). Null: never picked up again. A run whose
 * attempt finished between the look and the kill (milliseconds) was not in flight and is left out.
 */
async function killReports(handle: DatabaseHandle, records: KillRecord[]): Promise<SoakKill[]> {
  const reports: SoakKill[] = [];
  for (const record of records) {
    const inFlight: SoakKill["inFlight"] = [];
    for (const runId of record.runIds) {
      const [row] = await handle.db.execute<{ reference: string; resumed_at: string | null; finished_before_kill: boolean }>(sql`
        select c.reference,
               least(
                 (select min(a.started_at) from attempts a where a.run_id = r.id and a.started_at > ${record.at.toISOString()}::timestamptz),
                 case when r.finished_at > ${record.at.toISOString()}::timestamptz then r.finished_at end
               ) as resumed_at,
               coalesce(r.finished_at between ${record.lookedAt.toISOString()}::timestamptz and ${record.at.toISOString()}::timestamptz, false) as finished_before_kill
        from runs r join cases c on c.id = r.case_id where r.id = ${runId}`);
      if (row?.finished_before_kill && !row.resumed_at) continue;
      inFlight.push({
        runId,
        caseReference: row?.reference ?? runId,
        resumedAfterSeconds: row?.resumed_at ? Math.round((new Date(row.resumed_at).getTime() - record.at.getTime()) / 100) / 10 : null,
      });
    }
    reports.push({ at: record.at.toISOString(), pid: record.pid, inFlight });
  }
  return reports;
}

/** The slowest runs with their attempt timelines. */
async function slowestRuns(handle: DatabaseHandle, limit: number): Promise<SoakSlowRun[]> {
  const rows = await handle.db.execute<{ id: string; reference: string; status: string; seconds: number }>(sql`
    select r.id, c.reference, r.status, extract(epoch from (r.finished_at - coalesce(r.started_at, r.created_at)))::float8 as seconds
    from runs r join cases c on c.id = r.case_id
    where r.finished_at is not null
    order by seconds desc limit ${limit}`);
  const result: SoakSlowRun[] = [];
  for (const row of rows) {
    const attemptRows = await handle.db.execute<{ number: number; status: string; error_code: string | null; worker_id: string | null; started_at: string; finished_at: string | null }>(sql`
      select number, status, error_code, worker_id, started_at, finished_at from attempts where run_id = ${row.id} order by number`);
    result.push({
      runId: row.id,
      caseReference: row.reference,
      status: row.status,
      seconds: Math.round(row.seconds * 10) / 10,
      attempts: attemptRows.map((a) => ({ number: a.number, status: a.status, code: a.error_code, workerId: a.worker_id, startedAt: new Date(a.started_at).toISOString(), finishedAt: a.finished_at ? new Date(a.finished_at).toISOString() : null })),
    });
  }
  return result;
}

/** Replay and healing over the night: the attempts' healing reports summed, proposals and model calls counted. */
async function healingFigures(handle: DatabaseHandle): Promise<SoakHealing> {
  const [row] = await handle.db.execute<{ primary_hits: number; cache_hits: number; healed: number; healed_by_model: number; overlays: number; proposed: number; llm_calls: number; llm_cost: number; awaiting: number }>(sql`
    select coalesce(sum((a.healing->>'primaryHits')::int), 0)::int as primary_hits,
           coalesce(sum((a.healing->>'cacheHits')::int), 0)::int as cache_hits,
           coalesce(sum((a.healing->>'healed')::int), 0)::int as healed,
           coalesce(sum((a.healing->>'healedByModel')::int), 0)::int as healed_by_model,
           coalesce(sum((a.healing->>'overlaysDismissed')::int), 0)::int as overlays,
           (select count(*)::int from heals) as proposed,
           (select count(*)::int from llm_calls where outcome not in ('memoised', 'skipped')) as llm_calls,
           (select coalesce(sum(cost_usd), 0)::float8 from llm_calls) as llm_cost,
           (select count(*)::int from runs where status = 'awaiting_approval') as awaiting
    from attempts a where a.healing is not null`);
  return {
    primaryHits: row?.primary_hits ?? 0,
    cacheHits: row?.cache_hits ?? 0,
    healed: row?.healed ?? 0,
    healedByModel: row?.healed_by_model ?? 0,
    overlaysDismissed: row?.overlays ?? 0,
    healsProposed: row?.proposed ?? 0,
    llmCalls: row?.llm_calls ?? 0,
    llmCostUsd: row?.llm_cost ?? 0,
    awaitingApproval: row?.awaiting ?? 0,
  };
}

async function runRecords(handle: DatabaseHandle): Promise<SoakRunRecord[]> {
  const rows = await handle.db.execute<{ reference: string; oem_id: string; status: string; error_class: string | null; error_code: string | null; attempts: number; duration_ms: number | null }>(sql`
    select c.reference, c.oem_id, r.status, r.error_class, r.error_code,
           (select count(*)::int from attempts a where a.run_id = r.id) as attempts,
           (extract(epoch from (r.finished_at - coalesce(r.started_at, r.created_at))) * 1000)::float8 as duration_ms
    from runs r join cases c on c.id = r.case_id`);
  return rows.map((r) => ({ caseReference: r.reference, oemId: r.oem_id, status: r.status, errorClass: r.error_class, errorCode: r.error_code, attempts: r.attempts, durationMs: r.duration_ms }));
}

/** The invariants, from the sandbox's records (what the CRM and the portals actually saw). */
async function checkInvariants(sandbox: Sandbox): Promise<SoakInvariants> {
  const cases = (await (await fetch(`${sandbox.url}/sandbox/admin/crm/cases`)).json()) as { cases: Array<{ id: string; reference: string; status: string }> };
  const filings = (await (await fetch(`${sandbox.url}/sandbox/admin/filings`)).json()) as { filings: Array<{ reference: string }> };
  const writes = (await (await fetch(`${sandbox.url}/sandbox/admin/crm/writes`)).json()) as { writes: Array<{ caseId: string | null; method: string; tookEffect: boolean }> };
  const lostCases = cases.cases.filter((c) => !["submitted", "needs_review", "failed"].includes(c.status)).map((c) => `${c.reference} (${c.id}, CRM status ${c.status})`);
  const perReference = new Map<string, number>();
  for (const f of filings.filings) perReference.set(f.reference, (perReference.get(f.reference) ?? 0) + 1);
  const duplicatePortalFilings = [...perReference.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const effects = new Map<string, number>();
  for (const w of writes.writes) {
    if (!w.tookEffect || !w.caseId) continue;
    const key = `${w.caseId}:${w.method}`;
    effects.set(key, (effects.get(key) ?? 0) + 1);
  }
  const duplicateCrmEffects = [...effects.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return { lostCases, duplicatePortalFilings, duplicateCrmEffects };
}

/** A schedule whose slot is the start of the minute after next, in the night's zone, due `deadlineMinutes` later. */
export function soakNightSchedule(now: Date, deadlineMinutes: number): Schedule {
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 2 * 60_000);
  const deadline = new Date(slot.getTime() + deadlineMinutes * 60_000);
  const local = (at: Date) => format(at, "HH:mm", { in: tz(SOAK_NIGHT_TIME_ZONE) });
  return { enabled: true, time: local(slot), timeZone: SOAK_NIGHT_TIME_ZONE, deadline: local(deadline) };
}

type NightBatchRow = { id: string; nightKey: string | null; scheduledFor: Date | null; startedAt: Date | null; deadline: Date | null; finishedAt: Date | null; backfilled: boolean; late: boolean; digestBuiltAt: Date | null; metSla: boolean | null; digest: MorningDigest | null };

async function nightBatch(handle: DatabaseHandle): Promise<NightBatchRow | undefined> {
  const [row] = await handle.db
    .select({
      id: batches.id,
      nightKey: batches.nightKey,
      scheduledFor: batches.scheduledFor,
      startedAt: batches.startedAt,
      deadline: batches.deadline,
      finishedAt: batches.finishedAt,
      backfilled: batches.backfilled,
      late: batches.late,
      digestBuiltAt: batches.digestBuiltAt,
      metSla: batches.metSla,
      digest: batches.digest,
    })
    .from(batches)
    .where(isNotNull(batches.nightKey))
    .catch(() => []);
  return row;
}

async function nightReport(handle: DatabaseHandle, sandbox: Sandbox, log: Logger): Promise<SoakNight> {
  const built = await waitFor(async () => {
    const row = await nightBatch(handle);
    return row?.digestBuiltAt ? row : undefined;
  }, 3 * 60_000).catch(() => undefined);
  const row = built ?? (await nightBatch(handle));
  if (!built) log.error("soak night: the morning digest was not built within 3 minutes of the last run");
  const fails = await handle.db.execute<{ crm_id: string }>(sql`
    select c.crm_id from runs r join cases c on c.id = r.case_id
    where r.batch_id = ${row?.id ?? null} and r.status in ('needs_review', 'parked', 'failed')`);
  const writes = (await (await fetch(`${sandbox.url}/sandbox/admin/crm/writes`)).json()) as { writes: Array<{ caseId: string | null; method: string; path: string; tookEffect: boolean }> };
  const noted = new Set(writes.writes.filter((w) => w.tookEffect && w.method === "POST" && /notes/.test(w.path)).map((w) => w.caseId));
  const lastSettled = row?.finishedAt ?? null;
  return {
    nightKey: row?.nightKey ?? null,
    scheduledFor: row?.scheduledFor?.toISOString() ?? null,
    batchStartedAt: row?.startedAt?.toISOString() ?? null,
    deadline: row?.deadline?.toISOString() ?? null,
    batchFinishedAt: lastSettled?.toISOString() ?? null,
    finishedBeforeDeadline: Boolean(lastSettled && row?.deadline && lastSettled.getTime() <= row.deadline.getTime()),
    backfilled: row?.backfilled ?? false,
    late: row?.late ?? false,
    digestBuilt: Boolean(row?.digestBuiltAt),
    metSla: row?.metSla ?? null,
    headline: row?.digest?.headline ?? null,
    digestGroups: row?.digest?.groups.length ?? 0,
    terminalFails: fails.length,
    terminalFailsWithCrmNote: fails.filter((f) => noted.has(f.crm_id)).length,
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, message = "condition not met in time"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message);
    await sleep(1000);
  }
}

function randomBetween(random: () => number, [min, max]: [number, number]): number {
  return min + random() * (max - min);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
