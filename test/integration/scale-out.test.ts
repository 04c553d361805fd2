import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, cases, runs, workerHeartbeats } from "@/drizzle/schema";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { listPortalSlots } from "@/lib/portals/sessions";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { spawnWorkerProcess } from "../support/worker-process";
import { quietLog } from "../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox } from "./sandbox/helpers";
import { until as pollUntil } from "@/test/support/until";

/**
 * Scale-out on the engine we have: three `npm run worker` processes on one database (graphile-worker
 * hands each job to one of them), the per-portal session limits held across them, one SIGKILLed
 * mid-batch, and every case filed exactly once.
 */
const STALE_AFTER_SECONDS = 10;
/** The portal forgets a killed worker's session before its slot is freed (stale threshold − a beat), so the portal never sees more sessions than the limit. */
const PORTAL_SESSION_IDLE_MS = 6_000;
const LIMITS = { arden: 1, borealis: 2, corvid: 2 } as const;
const CASES = { arden: 4, borealis: 8, corvid: 8 } as const;
const UNITS: Record<keyof typeof CASES, Record<string, unknown>> = {
  arden: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" },
  borealis: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-004512" },
  corvid: { oem: "corvid", kind: "safety_incident", unitId: "CI-4821-0093" },
};

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox({ sessionIdleMs: PORTAL_SESSION_IDLE_MS });
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-scale-"));
});
afterAll(async () => {
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill("SIGTERM");
  await Promise.all(running.map((c) => new Promise((r) => c.once("exit", r))));
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

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
      RETRY_BASE_DELAY_SECONDS: "1",
      RETRY_MIN_DELAY_SECONDS: "1",
      RETRY_MAX_DELAY_SECONDS: "2",
      // A stuck attempt (seen once on a loaded machine) is cut off and retried within the test's time.
      ATTEMPT_TIMEOUT_SECONDS: "30",
      LOG_LEVEL: process.env.TEST_WORKER_LOG_LEVEL ?? "silent",
    },
    stdio: process.env.TEST_WORKER_LOG_LEVEL ? ["ignore", "inherit", "inherit"] : "ignore",
  });
  children.push(child);
  return child;
}

const until = <T,>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 45_000) => pollUntil(probe, timeoutMs, { intervalMs: 100, ignoreErrors: true });

type SessionStats = { portals: Record<string, { active: number; maxObserved: number; logins: number }> };

describe("three worker processes on one database", () => {
  it("hold every portal's session limit at every moment, survive one SIGKILLed mid-batch, and file every case exactly once", async () => {
    for (const [oem, n] of Object.entries(CASES)) for (let i = 0; i < n; i++) await crm(sandbox, "POST", "/cases", { body: UNITS[oem as keyof typeof CASES] });
    await syncCasesFromCrm(database.db, { crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), log: quietLog });
    // Slow portals: sessions overlap for real, and the kill lands while one is open.
    sandbox.setFaults({ portals: { arden: { latencyMs: 60 }, borealis: { latencyMs: 60 }, corvid: { latencyMs: 60 } } });
    const batch = await planBatch(database.db, database.queue, {
      trigger: "manual",
      plan: { ...DEFAULT_RECIPE, portalConcurrency: { ...LIMITS }, defaultPortalConcurrency: 2 },
      recipeVersion: null,
      deadline: null,
      createdBy: "test",
      defaultMaxAttempts: 3,
    });
    if (batch.kind !== "planned") throw new Error(`expected a planned batch, got ${batch.kind}`);
    const total = Object.values(CASES).reduce((a, b) => a + b, 0);
    expect(batch.caseCount).toBe(total);
    const batchRuns = (await database.db.select({ id: runs.id }).from(runs).where(eq(runs.batchId, batch.batchId))).map((r) => r.id);

    // Sample the slot table all along: no portal ever has more sessions than its limit.
    const peaks: Record<string, number> = {};
    const violations: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const slots = await listPortalSlots(database.db).catch(() => []);
        const byOem = new Map<string, number>();
        for (const s of slots) byOem.set(s.oemId, (byOem.get(s.oemId) ?? 0) + 1);
        for (const [oem, n] of byOem) {
          peaks[oem] = Math.max(peaks[oem] ?? 0, n);
          if (n > LIMITS[oem as keyof typeof LIMITS]) violations.push(`${oem}: ${n} sessions at ${new Date().toISOString()}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();

    try {
      const startedAt = Date.now();
      const workers = [workerProcess(), workerProcess(), workerProcess()];
      // All three take part.
      await until(async () => (await database.db.select({ id: workerHeartbeats.id }).from(workerHeartbeats)).length === 3);
      // Mid-batch: a few runs done, and an attempt in the hands of some worker.
      await until(async () => (await database.db.select({ id: runs.id }).from(runs).where(and(inArray(runs.id, batchRuns), eq(runs.status, "submitted")))).length >= 3);
      const holder = await until(async () => (await listPortalSlots(database.db)).find((s) => s.runId !== null));
      const [heartbeat] = await database.db.select({ pid: workerHeartbeats.pid }).from(workerHeartbeats).where(eq(workerHeartbeats.id, holder.workerId));
      const victim = workers.find((w) => w.pid === heartbeat?.pid);
      expect(victim).toBeDefined();
      victim!.kill("SIGKILL");

      const killedAt = Date.now();
      await until(async () => {
        const open = await database.db.select({ id: runs.id }).from(runs).where(and(inArray(runs.id, batchRuns), inArray(runs.status, ["queued", "running", "retry_scheduled"])));
        return open.length === 0;
      }).catch(async (error: unknown) => {
        const open = await database.db.select({ id: runs.id, status: runs.status, attempts: runs.attemptCount }).from(runs).where(and(inArray(runs.id, batchRuns), inArray(runs.status, ["queued", "running", "retry_scheduled"])));
        const history = await database.db.select({ runId: attempts.runId, status: attempts.status, code: attempts.errorCode, startedAt: attempts.startedAt, finishedAt: attempts.finishedAt }).from(attempts).where(inArray(attempts.runId, open.map((r) => r.id)));
        const heartbeats = await database.db.select({ id: workerHeartbeats.id, pid: workerHeartbeats.pid, lastSeenAt: workerHeartbeats.lastSeenAt, stoppedAt: workerHeartbeats.stoppedAt }).from(workerHeartbeats);
        console.error(JSON.stringify({ sinceKillMs: Date.now() - killedAt, victim: victim?.pid, holder, heartbeats, open, history, slots: await listPortalSlots(database.db) }));
        throw error;
      });
      if (process.env.TEST_SCALE_OUT_TIMING) console.error(`killed at ${killedAt - startedAt} ms, all finished ${Date.now() - startedAt} ms after the workers started`);
    } finally {
      sampling = false;
      await sampler;
    }

    expect(violations).toEqual([]);
    expect(peaks.arden).toBe(1);
    const finished = await database.db.select({ status: runs.status }).from(runs).where(inArray(runs.id, batchRuns));
    expect(finished.map((r) => r.status)).toEqual(batchRuns.map(() => "submitted"));
    // The killed worker's attempt was recorded as lost and its run finished by another worker.
    const lost = await database.db.select({ runId: attempts.runId }).from(attempts).where(and(inArray(attempts.runId, batchRuns), eq(attempts.errorCode, "worker_lost")));
    expect(lost.length).toBeGreaterThanOrEqual(1);
    const workersThatFiled = await database.db.selectDistinct({ workerId: attempts.workerId }).from(attempts).where(and(inArray(attempts.runId, batchRuns), eq(attempts.status, "succeeded")));
    expect(workersThatFiled.length).toBeGreaterThanOrEqual(2);

    // What the portals and the CRM saw: one filing per case, one status write-back per case.
    const seen = (await admin<SessionStats>(sandbox, "GET", "/admin/portals/sessions")).body.portals;
    for (const [oem, limit] of Object.entries(LIMITS)) expect(seen[oem]?.maxObserved, oem).toBeLessThanOrEqual(limit);
    const filings = (await admin<{ filings: unknown[]; duplicates: unknown[] }>(sandbox, "GET", "/admin/filings")).body;
    expect(filings.filings).toHaveLength(total);
    expect(filings.duplicates).toEqual([]);
    const crmIds = (await database.db.select({ crmId: cases.crmId }).from(cases)).map((c) => c.crmId);
    await until(async () => {
      const writes = (await admin<{ writes: Array<{ caseId: string | null; method: string; tookEffect: boolean }> }>(sandbox, "GET", "/admin/crm/writes")).body.writes;
      const effective = writes.filter((w) => w.method === "PATCH" && w.tookEffect);
      return crmIds.every((id) => effective.filter((w) => w.caseId === id).length === 1) && effective.length === total;
    }, 15_000);
  }, 90_000);
});
