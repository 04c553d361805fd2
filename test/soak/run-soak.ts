import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { startBatch } from "@/lib/batches/start-batch";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { connectDatabase, waitForDatabase, type DatabaseHandle } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger, type Logger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { OEM_IDS, OEMS, type OemId } from "../../sandbox/domain";
import { pick, seededRandom } from "../../sandbox/random";
import { unitIdFor } from "../../sandbox/seed";
import { startSandbox, type Sandbox } from "../../sandbox/server";
import { buildReport, type SoakInvariants, type SoakReport, type SoakRunRecord } from "./report";

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
}

export const DEFAULT_FAULTS: FaultMix = { transient: 0.1, popups: 0.03, rejects: 0.01, drift: 0.005 };
export const NO_FAULTS: FaultMix = { transient: 0, popups: 0, rejects: 0, drift: 0 };
export const DEFAULT_CHAOS: ChaosPlan = { killEverySeconds: [20, 45], postgresRestartAt: 0.4 };

/** Rough number of portal requests in one attempt (login, search, form, submit, confirmation). */
const REQUESTS_PER_ATTEMPT = 8;
const CRM_TOKEN = "soak-crm-token";

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
  const sandbox: Sandbox = await startSandbox({ port: 0, seed: false, crmToken: CRM_TOKEN, random: seededRandom(options.seed + 1), hangTimeoutMs: 12_000 });
  const workers: ChildProcess[] = [];
  let worker: ChildProcess | undefined;
  const recoveries: Promise<number | null>[] = [];
  let kills = 0;
  let pgRestarts = 0;

  const startWorker = () => {
    const child = spawn(process.execPath, ["--import", "tsx", "jobs/main.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        NIGHTSHIFT_SUPERVISED: "on",
        SANDBOX: "on",
        SANDBOX_PORT: String(sandbox.port),
        CRM_TOKEN,
        WORKER_CONCURRENCY: String(options.concurrency),
        WORKER_STALE_AFTER_SECONDS: "10",
        RETRY_MAX_ATTEMPTS: "3",
        RETRY_BASE_DELAY_SECONDS: "4",
        RETRY_MIN_DELAY_SECONDS: "2",
        RETRY_MAX_DELAY_SECONDS: "8",
        PORTAL_NAVIGATION_TIMEOUT_SECONDS: "8",
        PORTAL_ACTION_TIMEOUT_SECONDS: "8",
        ATTEMPT_TIMEOUT_SECONDS: "90",
        ARTIFACTS_DIR: path.join(options.outDir, "artifacts"),
        LOG_LEVEL: "warn",
        LOG_FORMAT: "json",
        NIGHTLY_BATCH_CRON: "0 0 1 1 *",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
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
    const batch = await startBatch(handle.db, { trigger: "manual", maxAttempts: 3, deadline: new Date(Date.now() + 6 * 3_600_000), parameters: { soak: true } });
    log.info({ cases: batch?.caseCount ?? 0 }, "soak batch planned; starting the worker");
    startWorker();

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
        const killedAt = new Date();
        const running = await runningRuns(handle);
        log.warn({ pid: worker.pid, runningRuns: running.length }, "chaos: SIGKILL the worker");
        worker.kill("SIGKILL");
        kills += 1;
        await sleep(1000);
        startWorker();
        recoveries.push(measureRecovery(handle, running, killedAt));
        nextKill = Date.now() + randomBetween(random, options.chaos.killEverySeconds!) * 1000;
      }
    }
    const finishedAt = new Date();
    const recoverySeconds = (await Promise.all(recoveries)).filter((s): s is number => s !== null);
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
      recoverySeconds,
    });
  } finally {
    for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await Promise.all(workers.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once("exit", r))));
    await handle.close();
    await sandbox.close();
    await postgres?.stop();
  }
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

async function runningRuns(handle: DatabaseHandle): Promise<string[]> {
  try {
    const rows = await handle.db.execute<{ id: string }>(sql`select id from runs where status = 'running'`);
    return rows.map((r) => r.id);
  } catch {
    return [];
  }
}

/** Seconds from the kill until every run that was running has started a new attempt or finished. */
async function measureRecovery(handle: DatabaseHandle, runIds: string[], killedAt: Date): Promise<number | null> {
  if (runIds.length === 0) return null;
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    try {
      const rows = await handle.db.execute<{ pending: number }>(sql`
        select count(*)::int as pending from runs r
        where r.id = any(${sql.raw(`array[${runIds.map((id) => `'${id}'::uuid`).join(",")}]`)})
          and r.status in ('queued', 'running', 'retry_scheduled')
          and not exists (select 1 from attempts a where a.run_id = r.id and a.started_at > ${killedAt.toISOString()}::timestamptz)`);
      if ((rows[0]?.pending ?? 1) === 0) return (Date.now() - killedAt.getTime()) / 1000;
    } catch {
      /* database restarting */
    }
    await sleep(250);
  }
  return null;
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

function randomBetween(random: () => number, [min, max]: [number, number]): number {
  return min + random() * (max - min);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
