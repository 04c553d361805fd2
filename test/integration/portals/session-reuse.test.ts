import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, portalSessions, runs } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { listPortalSlots } from "@/lib/portals/sessions";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun } from "@/lib/queue/tasks";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startTestWorker, testIntegrations } from "../../support/worker";
import { readZipEntries } from "../../support/zip";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";

/** A password that must never reach a trace, also when a signed-in session is reused. */
const CANARY = "canary-Reuse-5b1e-P4";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox({ portalCredentials: { arden: { password: CANARY } } });
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-reuse-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

const integrations = () => {
  const base = testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir });
  return { ...base, portals: { ...base.portals, arden: { ...base.portals.arden!, credentials: { username: "nightshift", password: CANARY } } } };
};

async function newRun(): Promise<{ runId: string; reference: string }> {
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
  const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
  const run = await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 3 });
  return { runId: run!.runId, reference: created.body.reference };
}

async function settle(runId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    if (run && !["queued", "running", "retry_scheduled"].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error("run did not settle");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function until(probe: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

type SessionStats = { portals: Record<string, { active: number; maxObserved: number; logins: number }> };
const portalSessionsSeen = async () => (await admin<SessionStats>(sandbox, "GET", "/admin/portals/sessions")).body.portals;

function artifactTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const file = path.join(d, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith(".zip")) for (const e of readZipEntries(readFileSync(file))) out.set(`${file}!${e.name}`, e.data.toString("latin1"));
      else out.set(file, readFileSync(file).toString("latin1"));
    }
  };
  walk(dir);
  return out;
}

describe("portal session limits and reuse (one worker)", () => {
  it("gives a job back without counting an attempt while the portal's slots are full, then files it once a slot frees", async () => {
    // Another (live) worker holds both arden slots of the default recipe (limit 2).
    await database.db.insert(portalSessions).values([
      { oemId: "arden", slot: 0, workerId: "other-worker" },
      { oemId: "arden", slot: 1, workerId: "other-worker" },
    ]);
    const worker = await startTestWorker(database.url, { integrations: integrations(), concurrency: 1 });
    try {
      const { runId } = await newRun();
      // Long enough for several give-backs (about one a second).
      await new Promise((r) => setTimeout(r, 3_500));
      expect(await database.db.select().from(attempts).where(eq(attempts.runId, runId))).toEqual([]);
      const [waiting] = await database.db.select({ status: runs.status, attemptCount: runs.attemptCount }).from(runs).where(eq(runs.id, runId));
      expect(waiting).toEqual({ status: "queued", attemptCount: 0 });
      expect(await listJobs(database.db, { keys: [jobKeyForRun(runId)] })).toHaveLength(1);
      expect((await portalSessionsSeen()).arden?.logins).toBe(0);

      await database.db.delete(portalSessions).where(eq(portalSessions.workerId, "other-worker"));
      const run = await settle(runId);
      expect(run.status).toBe("submitted");
      expect(run.attemptCount).toBe(1);
      expect((await database.db.select({ number: attempts.number }).from(attempts).where(eq(attempts.runId, runId))).map((a) => a.number)).toEqual([1]);
    } finally {
      await worker.stop();
    }
    // The worker signed its cached session out and gave its slot back when it stopped.
    expect(await listPortalSlots(database.db, { oemId: "arden" })).toEqual([]);
    expect((await portalSessionsSeen()).arden?.active).toBe(0);
  });

  it("reuses a worker's signed-in session for the next filing, drops it on a failure, and keeps the password out of the reused attempt's trace", async () => {
    await admin(sandbox, "POST", "/admin/portals/sessions/reset");
    const worker = await startTestWorker(database.url, { integrations: integrations(), concurrency: 1 });
    let rejected: { runId: string; reference: string };
    try {
      for (let i = 0; i < 3; i++) expect((await settle((await newRun()).runId)).status).toBe("submitted");
      // Three filings, one sign-in; the session stays open (idle, in its slot) between them.
      expect((await portalSessionsSeen()).arden).toEqual({ active: 1, maxObserved: 1, logins: 1 });
      await until(async () => (await listPortalSlots(database.db, { oemId: "arden" }))[0]?.runId === null);
      expect(await listPortalSlots(database.db, { oemId: "arden" })).toMatchObject([{ slot: 0, runId: null }]);

      // The next filing reuses it and is refused: the failure's trace comes from the reused
      // session, and the session is signed out and dropped.
      sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
      rejected = await newRun();
      expect((await settle(rejected.runId)).status).toBe("needs_review");
      await until(async () => (await listPortalSlots(database.db, { oemId: "arden" })).length === 0);
      expect((await portalSessionsSeen()).arden).toEqual({ active: 0, maxObserved: 1, logins: 1 });
    } finally {
      sandbox.setFaults({ portals: { arden: { rejectRate: 0 } } });
      await worker.stop();
    }
    const files = artifactTexts(artifactsDir);
    const traces = [...files.entries()].filter(([name]) => name.includes(`runs/${rejected.runId}/`) && name.includes("trace.zip!"));
    expect(traces.some(([, text]) => text.includes(rejected.reference))).toBe(true);
    expect([...files.entries()].filter(([, text]) => text.includes(CANARY)).map(([name]) => name)).toEqual([]);
  });
});
