// Regression for the soak's 52-minute run (issue 13): a run whose worker is SIGKILLed while a whole
// batch is still queued must be worked on again within the stale threshold plus one sweep, not
// after the rest of the batch.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, runs } from "@/drizzle/schema";
import { startBatch } from "@/lib/batches/start-batch";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { quietLog, startTestWorker, testIntegrations } from "../support/worker";
import { CRM_TOKEN, crm, startTestSandbox } from "./sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-tail-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

function workerProcess(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "jobs/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NIGHTSHIFT_SUPERVISED: "on",
      SANDBOX: "on",
      SANDBOX_PORT: String(sandbox.port),
      CRM_TOKEN,
      WORKER_CONCURRENCY: "1",
      ARTIFACTS_DIR: artifactsDir,
      LOG_LEVEL: "silent",
    },
    stdio: "ignore",
  });
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const BATCH_SIZE = 14;
const STALE_AFTER_SECONDS = 2;
const SWEEP_MS = 500;

describe("recovery after a killed worker", () => {
  it("works on a killed worker's run again within the stale threshold plus one sweep, ahead of the batch's queued first attempts", async () => {
    for (let i = 0; i < BATCH_SIZE; i++) await crm(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
    await syncCasesFromCrm(database.db, { crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), log: quietLog });
    // One transaction plans the whole batch, as the nightly batch does: every first attempt is due at once.
    const batch = await startBatch(database.db, database.queue, { trigger: "manual", maxAttempts: 3, deadline: null });
    expect(batch?.caseCount).toBe(BATCH_SIZE);
    // Slow pages: each filing takes a few seconds, so most of the batch is still queued after the kill.
    sandbox.setFaults({ portals: { arden: { latencyMs: 300 } } });

    const victim = workerProcess(database.url);
    let victimRun: string;
    try {
      victimRun = await until(async () => (await database.db.select({ runId: attempts.runId }).from(attempts).where(eq(attempts.status, "running")))[0]?.runId);
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
        const [second] = await database.db.select({ startedAt: attempts.startedAt }).from(attempts).where(sql`${attempts.runId} = ${victimRun} and ${attempts.number} = 2`);
        return second?.startedAt;
      }, 120_000);
      const recoverySeconds = (resumedAt.getTime() - killedAt) / 1000;
      // Detection needs the stale threshold and one sweep; the rescuer may be busy with the one
      // filing it picked up before it noticed (≤ one filing, a few seconds here).
      const startedBefore = await database.db
        .select({ runId: attempts.runId })
        .from(attempts)
        .where(sql`${attempts.number} = 1 and ${attempts.runId} <> ${victimRun} and ${attempts.startedAt} < ${resumedAt.toISOString()}::timestamptz`);
      console.info(`recovery ${recoverySeconds.toFixed(1)} s; ${startedBefore.length} first attempts started before it`);
      // Before the fix the unlocked job went to the back of the batch (BATCH_SIZE - 1 others first).
      expect(startedBefore.length).toBeLessThanOrEqual(3);
      expect(recoverySeconds).toBeLessThan(STALE_AFTER_SECONDS + SWEEP_MS / 1000 + 15);
      await until(async () => {
        const [row] = await database.db.execute<{ open: number }>(sql`select count(*)::int as open from runs where status in ('queued', 'running', 'retry_scheduled')`);
        return row?.open === 0;
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
});
