import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, runs } from "@/drizzle/schema";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { connectDatabase, type DatabaseHandle } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { jobKeyForRun } from "@/lib/queue/tasks";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { freePort } from "../support/free-port";
import { quietLog, startTestWorker, testIntegrations } from "../support/worker";
import { spawnWorkerProcess } from "../support/worker-process";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "./sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-crash-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

const UNITS: Record<string, Record<string, unknown>> = {
  arden: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" },
  borealis: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-004512" },
  corvid: { oem: "corvid", kind: "safety_incident", unitId: "CI-4821-0093" },
};

async function newRun(db: DatabaseHandle["db"], oem = "arden") {
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: UNITS[oem] });
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const stored = await upsertCaseFromCrm(db, (await connector.fetchCase(created.body.id))!);
  const run = await enqueueRun(db, database.queue, { caseId: stored.id, maxAttempts: 3 });
  return { runId: run!.runId, crmId: created.body.id, reference: created.body.reference };
}

/** A worker in its own process (the way `npm start` runs it), so it can be killed for real. */
function workerProcess(databaseUrl: string, extra: Record<string, string> = {}): ChildProcess {
  return spawnWorkerProcess({ databaseUrl, sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir, env: extra });
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function filings(reference: string) {
  return (await admin<{ filings: Array<{ reference: string }> }>(sandbox, "GET", "/admin/filings")).body.filings.filter((f) => f.reference === reference);
}
async function statusWrites(crmId: string) {
  return (await admin<{ writes: Array<{ caseId: string | null; method: string; tookEffect: boolean }> }>(sandbox, "GET", "/admin/crm/writes")).body.writes.filter(
    (w) => w.caseId === crmId && w.method === "PATCH" && w.tookEffect,
  );
}

/** Chromium processes descending from a pid. */
function chromiumDescendants(root: number): number[] {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
      names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
    } catch {
      /* gone */
    }
  }
  const result: number[] = [];
  for (const [pid] of parents) {
    for (let p = parents.get(pid); p && p > 1; p = parents.get(p)) {
      if (p === root) {
        if (/chrom/.test(names.get(pid) ?? "")) result.push(pid);
        break;
      }
    }
  }
  return result;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("crash and restart safety", () => {
  it("resumes a run whose worker was killed with SIGKILL right after the submit click, within 2 minutes and without filing twice", async () => {
    sandbox.setFaults({ portals: { arden: { latencyMs: 400 } } });
    const victim = workerProcess(database.url);
    const run = await newRun(database.db);
    try {
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.submitClickedAt);
      victim.kill("SIGKILL");
    } finally {
      if (victim.exitCode === null) victim.kill("SIGKILL");
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 } } });
    }
    const killedAt = Date.now();
    const rescuer = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), staleAfterSeconds: 10, heartbeatIntervalMs: 1000 });
    try {
      const resumed = await until(async () => {
        const rows = await database.db.select().from(attempts).where(eq(attempts.runId, run.runId));
        return rows.length >= 2 ? Date.now() : null;
      }, 120_000);
      expect(resumed - killedAt).toBeLessThan(120_000);
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.status === "submitted");
      await until(async () => (await statusWrites(run.crmId)).length === 1);
    } finally {
      await rescuer.stop();
    }
    const history = await database.db.select({ status: attempts.status, code: attempts.errorCode }).from(attempts).where(eq(attempts.runId, run.runId)).orderBy(attempts.number);
    expect(history).toEqual([
      { status: "interrupted", code: "worker_lost" },
      { status: "succeeded", code: null },
    ]);
    expect(await filings(run.reference)).toHaveLength(1);
    expect(await statusWrites(run.crmId)).toHaveLength(1);
  });

  // Issue 13: the soak's 52-minute run. A nightly batch queues every first attempt at one instant;
  // a dead worker's freed job used to come out behind the whole batch.
  it("works on a killed worker's run again within the stale threshold plus a sweep, ahead of the batch's queued first attempts", async () => {
    const BATCH_SIZE = 14;
    const STALE_AFTER_SECONDS = 2;
    const SWEEP_MS = 500;
    for (let i = 0; i < BATCH_SIZE; i++) await crm(sandbox, "POST", "/cases", { body: UNITS.arden });
    await syncCasesFromCrm(database.db, { crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), log: quietLog });
    // One transaction plans the whole batch, as the nightly batch does.
    const batch = await planBatch(database.db, database.queue, { trigger: "manual", plan: { ...DEFAULT_RECIPE, order: "oldest_first" }, recipeVersion: null, defaultMaxAttempts: 3, deadline: null, createdBy: "test" });
    if (batch.kind !== "planned") throw new Error(`expected a planned batch, got ${batch.kind}`);
    expect(batch.caseCount).toBe(BATCH_SIZE);
    const batchRuns = (await database.db.select({ id: runs.id }).from(runs).where(eq(runs.batchId, batch.batchId))).map((r) => r.id);
    // Slow pages: each filing takes a few seconds, so most of the batch is still queued after the kill.
    sandbox.setFaults({ portals: { arden: { latencyMs: 300 } } });

    const victim = workerProcess(database.url, { WORKER_CONCURRENCY: "1" });
    let victimRun: string;
    try {
      victimRun = await until(async () => (await database.db.select({ runId: attempts.runId }).from(attempts).where(and(eq(attempts.status, "running"), inArray(attempts.runId, batchRuns))))[0]?.runId);
      victim.kill("SIGKILL");
    } finally {
      if (victim.exitCode === null) victim.kill("SIGKILL");
    }
    const killedAt = Date.now();
    const rescuer = await startTestWorker(database.url, {
      integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }),
      concurrency: 1,
      staleAfterSeconds: STALE_AFTER_SECONDS,
      heartbeatIntervalMs: SWEEP_MS,
    });
    try {
      const resumedAt = await until(async () => {
        const [second] = await database.db.select({ startedAt: attempts.startedAt }).from(attempts).where(and(eq(attempts.runId, victimRun), eq(attempts.number, 2)));
        return second?.startedAt;
      }, 120_000);
      const recoverySeconds = (resumedAt.getTime() - killedAt) / 1000;
      const startedBefore = await database.db
        .select({ runId: attempts.runId })
        .from(attempts)
        .where(and(eq(attempts.number, 1), inArray(attempts.runId, batchRuns.filter((id) => id !== victimRun)), sql`${attempts.startedAt} < ${resumedAt.toISOString()}::timestamptz`));
      // Before the fix: 81 s, after all 13 other runs. Now the rescuer finishes at most the filing it
      // took before it noticed, plus one or two more while the dead worker's heartbeat goes stale.
      expect(startedBefore.length).toBeLessThanOrEqual(3);
      expect(recoverySeconds).toBeLessThan(STALE_AFTER_SECONDS + (2 * SWEEP_MS) / 1000 + 15);
      await until(async () => {
        const open = await database.db.select({ id: runs.id }).from(runs).where(and(inArray(runs.id, batchRuns), inArray(runs.status, ["queued", "running", "retry_scheduled"])));
        return open.length === 0;
      }, 180_000);
    } finally {
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 } } });
      await rescuer.stop();
    }
    const history = await database.db.select({ status: attempts.status, code: attempts.errorCode }).from(attempts).where(eq(attempts.runId, victimRun)).orderBy(asc(attempts.number));
    expect(history).toEqual([
      { status: "interrupted", code: "worker_lost" },
      { status: "succeeded", code: null },
    ]);
    const [run] = await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, victimRun));
    expect(run?.status).toBe("submitted");
  }, 300_000);

  it("drains on SIGTERM: the in-flight attempt is aborted after the bound, recorded as interrupted and rescheduled, with no Chromium left", async () => {
    sandbox.setFaults({ portals: { borealis: { latencyMs: 1500 } } });
    const worker = workerProcess(database.url, { WORKER_DRAIN_SECONDS: "1" });
    const run = await newRun(database.db, "borealis");
    let browsers: number[] = [];
    try {
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.status === "running");
      await until(() => {
        browsers = chromiumDescendants(worker.pid!);
        return Promise.resolve(browsers.length > 0);
      }, 20_000);
      const exited = new Promise<number | null>((r) => worker.once("exit", (code) => r(code)));
      worker.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      if (worker.exitCode === null) worker.kill("SIGKILL");
      sandbox.setFaults({ portals: { borealis: { latencyMs: 0 } } });
    }
    await until(() => Promise.resolve(browsers.every((pid) => !alive(pid))), 10_000);
    const [interrupted] = await database.db.select().from(attempts).where(eq(attempts.runId, run.runId));
    expect(interrupted).toMatchObject({ status: "interrupted", errorCode: "shutdown" });
    const [rescheduled] = await database.db.select().from(runs).where(eq(runs.id, run.runId));
    expect(rescheduled?.status).toBe("retry_scheduled");
    // A worker that comes back finishes the run; the interrupted attempt did not use up an attempt.
    const next = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }) });
    try {
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.status === "submitted", 40_000);
    } finally {
      await next.stop();
    }
    expect(await filings(run.reference)).toHaveLength(1);
  });

  it("gives back a run whose job our own pool still holds after graphile-worker could not record the job's outcome", async () => {
    // The portal is paused so the worker cannot fetch the run's job before we make it look leaked.
    await database.db.execute(sql`update oems set paused_at = now() where id = 'arden'`);
    const run = await newRun(database.db, "arden");
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }) });
    try {
      // What a failed "mark done/failed" write leaves behind: locked by this live pool, no handler on it.
      await database.db.execute(
        sql`update graphile_worker._private_jobs set locked_by = ${worker.poolId}, locked_at = now() - interval '30 seconds' where key = ${jobKeyForRun(run.runId)}`,
      );
      await database.db.execute(sql`update oems set paused_at = null where id = 'arden'`);
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.status === "submitted", 30_000);
    } finally {
      await database.db.execute(sql`update oems set paused_at = null where id = 'arden'`);
      await worker.stop();
    }
    expect(await filings(run.reference)).toHaveLength(1);
    const tried = await database.db.select().from(attempts).where(eq(attempts.runId, run.runId));
    expect(tried).toHaveLength(1);
  });

  it("never gives back a job one of our handlers is still running, however long it takes", async () => {
    // Each portal page answers after 1.5 s: the attempt runs far past the leak grace (5 s).
    sandbox.setFaults({ portals: { borealis: { latencyMs: 1500 } } });
    const run = await newRun(database.db, "borealis");
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }) });
    try {
      await until(async () => (await database.db.select().from(runs).where(eq(runs.id, run.runId)))[0]?.status === "submitted", 60_000);
    } finally {
      sandbox.setFaults({ portals: { borealis: { latencyMs: 0 } } });
      await worker.stop();
    }
    const tried = await database.db.select().from(attempts).where(eq(attempts.runId, run.runId));
    expect(tried.map((a) => a.status)).toEqual(["succeeded"]);
    expect(tried[0]!.finishedAt!.getTime() - tried[0]!.startedAt.getTime()).toBeGreaterThan(6_000);
  });

  it("survives a PostgreSQL restart mid-batch: web-style reads reconnect, no run is lost, at most one extra attempt each", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-restart-"));
    rmSync(dataDir, { recursive: true, force: true });
    let pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log: quietLog });
    await migrateDatabase(pg.url);
    const handle = connectDatabase(pg.url, { max: 3 });
    const worker = await startTestWorker(pg.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), concurrency: 2 });
    try {
      await syncOems(handle.db, { portalUrls: {} });
      sandbox.setFaults({ portals: { arden: { latencyMs: 200 }, borealis: { latencyMs: 200 }, corvid: { latencyMs: 200 } } });
      const batch = [];
      for (const oem of ["arden", "borealis", "corvid", "arden", "borealis", "corvid"]) batch.push(await newRun(handle.db, oem));
      await until(async () => {
        const [row] = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from runs where status = 'running'`);
        return (row?.n ?? 0) > 0;
      });
      await pg.stop();
      await new Promise((r) => setTimeout(r, 2000));
      pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log: quietLog });
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 }, borealis: { latencyMs: 0 }, corvid: { latencyMs: 0 } } });
      await until(async () => {
        const [row] = await handle.db.execute<{ open: number }>(sql`select count(*)::int as open from runs where status not in ('submitted')`);
        return row?.open === 0;
      }, 120_000);
      const perRun = await handle.db.execute<{ attempts: number }>(sql`select attempt_count as attempts from runs`);
      expect(perRun.every((r) => r.attempts <= 2)).toBe(true);
      for (const r of batch) expect(await filings(r.reference)).toHaveLength(1);
    } finally {
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 }, borealis: { latencyMs: 0 }, corvid: { latencyMs: 0 } } });
      await worker.stop();
      await handle.close();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
