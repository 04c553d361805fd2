import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, runs, workerHeartbeats } from "@/drizzle/schema";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { listPortalSlots } from "@/lib/portals/sessions";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun } from "@/lib/queue/tasks";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { spawnWorkerProcess } from "../../support/worker-process";
import { quietLog } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox } from "../sandbox/helpers";

const STALE_AFTER_SECONDS = 20;
/**
 * The portal forgets a SIGKILLed worker's session after this long idle — before the sweep frees
 * its slot (stale threshold minus a beat at the earliest), so the portal never sees more sessions
 * than the limit. (Long enough for a slow form fill on a loaded machine, too.)
 */
const PORTAL_SESSION_IDLE_MS = 15_000;

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox({ sessionIdleMs: PORTAL_SESSION_IDLE_MS });
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-limits-"));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(children.filter((c) => c.exitCode === null && c.signalCode === null).map((c) => new Promise((r) => c.once("exit", r))));
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

/** A worker in its own process (the way `npm start` runs it), so it can be killed for real. */
function workerProcess(): ChildProcess {
  const child = spawnWorkerProcess({
    databaseUrl: database.url,
    sandboxPort: sandbox.port,
    crmToken: CRM_TOKEN,
    artifactsDir,
    env: {
      WORKER_CONCURRENCY: "2",
      WORKER_STALE_AFTER_SECONDS: String(STALE_AFTER_SECONDS),
      WORKER_HEARTBEAT_SECONDS: "2",
      // A retry (if a slow machine makes one) comes seconds later, not production's minutes.
      RETRY_BASE_DELAY_SECONDS: "4",
      RETRY_MIN_DELAY_SECONDS: "2",
      RETRY_MAX_DELAY_SECONDS: "8",
      LOG_LEVEL: process.env.TEST_WORKER_LOG_LEVEL ?? "silent",
    },
    stdio: process.env.TEST_WORKER_LOG_LEVEL ? ["ignore", "inherit", "inherit"] : "ignore",
  });
  children.push(child);
  return child;
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

type SessionStats = { portals: Record<string, { active: number; maxObserved: number; logins: number }> };

describe("portal session limits across worker processes", () => {
  it("never has more signed-in sessions on a portal than its limit, with three workers and one SIGKILLed mid-batch, and files every case once", async () => {
    const ARDEN = 10;
    const BOREALIS = 6;
    for (let i = 0; i < ARDEN; i++) await crm(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
    for (let i = 0; i < BOREALIS; i++) await crm(sandbox, "POST", "/cases", { body: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-004512" } });
    await syncCasesFromCrm(database.db, { crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), log: quietLog });
    // Slow portals: sessions overlap for real, and the kill lands while one is open.
    sandbox.setFaults({ portals: { arden: { latencyMs: 150 }, borealis: { latencyMs: 150 } } });
    const batch = await planBatch(database.db, database.queue, {
      trigger: "manual",
      plan: { ...DEFAULT_RECIPE, portalConcurrency: { arden: 1 }, defaultPortalConcurrency: 2 },
      recipeVersion: null,
      deadline: null,
      createdBy: "test",
      defaultMaxAttempts: 3,
    });
    if (batch.kind !== "planned") throw new Error(`expected a planned batch, got ${batch.kind}`);
    expect(batch.caseCount).toBe(ARDEN + BOREALIS);
    const batchRuns = (await database.db.select({ id: runs.id }).from(runs).where(eq(runs.batchId, batch.batchId))).map((r) => r.id);

    const workers = [workerProcess(), workerProcess(), workerProcess()];
    // Mid-batch: a few runs done, and an arden attempt in the hands of some worker.
    await until(async () => (await database.db.select({ id: runs.id }).from(runs).where(and(inArray(runs.id, batchRuns), eq(runs.status, "submitted")))).length >= 3);
    const holder = await until(async () => (await listPortalSlots(database.db, { oemId: "arden" })).find((s) => s.runId !== null));
    const [heartbeat] = await database.db.select({ pid: workerHeartbeats.pid }).from(workerHeartbeats).where(eq(workerHeartbeats.id, holder.workerId));
    const victim = workers.find((w) => w.pid === heartbeat?.pid);
    expect(victim).toBeDefined();
    victim!.kill("SIGKILL");

    // The sweep of a live worker frees the dead worker's slot; every run finishes.
    await until(async () => !(await listPortalSlots(database.db)).some((s) => s.workerId === holder.workerId), 60_000);
    await until(async () => {
      const open = await database.db.select({ id: runs.id }).from(runs).where(and(inArray(runs.id, batchRuns), inArray(runs.status, ["queued", "running", "retry_scheduled"])));
      return open.length === 0;
    }, 180_000).catch(async (error: unknown) => {
      const open = await database.db.select().from(runs).where(and(inArray(runs.id, batchRuns), inArray(runs.status, ["queued", "running", "retry_scheduled"])));
      const history = await database.db.select().from(attempts).where(inArray(attempts.runId, open.map((r) => r.id)));
      const jobs = await listJobs(database.db, { keys: open.map((r) => jobKeyForRun(r.id)) });
      console.error(JSON.stringify({ open, history, jobs, slots: await listPortalSlots(database.db), holder }, null, 1));
      throw error;
    });

    const finished = await database.db.select({ status: runs.status }).from(runs).where(inArray(runs.id, batchRuns));
    expect(finished.every((r) => r.status === "submitted")).toBe(true);
    const lost = await database.db.select({ runId: attempts.runId }).from(attempts).where(and(eq(attempts.runId, holder.runId!), eq(attempts.errorCode, "worker_lost")));
    expect(lost).toHaveLength(1);

    // What the portals saw.
    const seen = (await admin<SessionStats>(sandbox, "GET", "/admin/portals/sessions")).body.portals;
    expect(seen.arden?.maxObserved).toBe(1);
    expect(seen.borealis?.maxObserved).toBeGreaterThanOrEqual(1);
    expect(seen.borealis?.maxObserved).toBeLessThanOrEqual(2);
    const filings = (await admin<{ filings: unknown[]; duplicates: unknown[] }>(sandbox, "GET", "/admin/filings")).body;
    expect(filings.filings).toHaveLength(ARDEN + BOREALIS);
    expect(filings.duplicates).toEqual([]);
  }, 300_000);
});
