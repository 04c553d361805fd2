import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { artifacts, attempts, batches, cases, outbox, runs } from "@/drizzle/schema";
import { cancelBatch } from "@/lib/batches/cancel-batch";
import { DRY_RUN_NOTE } from "@/lib/batches/dry-run";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE, type BatchPlan } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { OPEN_RUN_STATUSES } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun } from "@/lib/queue/tasks";
import type { WorkerHandle } from "@/jobs/worker";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { quietLog, startTestWorker, testIntegrations } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";

/** Batches on real parts: the sandbox CRM and portals over HTTP, a real worker, real Chromium. */
let database: TestDatabase;
let sandbox: Sandbox;
let worker: WorkerHandle;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-batch-artifacts-"));
  sandbox = await startTestSandbox();
  worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), concurrency: 1 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await database?.destroy();
  if (artifactsDir) rmSync(artifactsDir, { recursive: true, force: true });
});

beforeEach(() => {
  sandbox.setFaults({ portals: { arden: { error5xxRate: 0, latencyMs: 0 } } });
});

async function until<T>(probe: () => Promise<T | undefined | false | null>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const ARDEN = { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" };

/** New CRM cases, pulled into our database; returns our case ids and their references. */
async function newCases(n: number): Promise<Array<{ id: string; crmId: string; reference: string }>> {
  const created: CaseBody[] = [];
  for (let i = 0; i < n; i++) created.push((await crm<CaseBody>(sandbox, "POST", "/cases", { body: ARDEN })).body);
  await syncCasesFromCrm(database.db, { crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), log: quietLog });
  const rows = await database.db.select({ id: cases.id, crmId: cases.crmId, reference: cases.reference }).from(cases).where(inArray(cases.crmId, created.map((c) => c.id)));
  expect(rows).toHaveLength(n);
  return rows;
}

async function plan(caseIds: string[], change: Partial<BatchPlan> = {}): Promise<string> {
  const result = await planBatch(database.db, database.queue, { trigger: "manual", plan: { ...DEFAULT_RECIPE, order: "oldest_first", ...change, caseIds }, recipeVersion: null, deadline: null, createdBy: "test", defaultMaxAttempts: 3 });
  if (result.kind !== "planned") throw new Error(`expected a planned batch, got ${result.kind}`);
  return result.batchId;
}

async function filingsFor(reference: string) {
  return (await admin<{ filings: Array<{ reference: string }> }>(sandbox, "GET", `/admin/filings?reference=${encodeURIComponent(reference)}`)).body.filings.filter((f) => f.reference === reference);
}

async function crmWritesFor(crmId: string) {
  const all = (await admin<{ writes: Array<{ caseId: string | null; method: string; tookEffect: boolean; path?: string }> }>(sandbox, "GET", "/admin/crm/writes")).body.writes;
  return all.filter((w) => w.caseId === crmId && w.tookEffect);
}

describe("a dry run", () => {
  it("goes through every step up to the final submit, files nothing, keeps a screenshot, notes the CRM without a status, and leaves the case pending", async () => {
    const [c] = await newCases(1);
    const before = (await crm<CaseBody>(sandbox, "GET", `/cases/${c!.crmId}`)).body;
    const batchId = await plan([c!.id], { dryRun: true });

    const run = await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, batchId), eq(runs.status, "rehearsed"))))[0]);
    // The CRM's note arrives through the outbox.
    const after = await until(async () => {
      const body = (await crm<CaseBody>(sandbox, "GET", `/cases/${c!.crmId}`)).body;
      return body.notes.some((n) => n.body.startsWith(DRY_RUN_NOTE)) ? body : null;
    }, 30_000);

    expect(await filingsFor(c!.reference)).toHaveLength(0);
    expect(after.status).toBe(before.status);
    expect(after.confirmationNumber).toBeNull();
    expect((await crmWritesFor(c!.crmId)).filter((w) => w.method === "PATCH")).toHaveLength(0);
    expect(run).toMatchObject({ dryRun: true, submitClickedAt: null, attemptCount: 1 });
    const [attempt] = await database.db.select().from(attempts).where(eq(attempts.runId, run.id));
    expect(attempt?.status).toBe("succeeded");
    expect(attempt?.steps.map((s) => `${s.name}:${s.status}`)).toEqual(["login:ok", "check_existing:ok", "map_case:ok", "open_form:ok", "fill:ok", "submit:ok"]);
    const shots = await database.db.select({ key: artifacts.key, step: artifacts.step }).from(artifacts).where(and(eq(artifacts.runId, run.id), eq(artifacts.kind, "screenshot")));
    expect(shots).toEqual([{ key: `runs/${run.id}/1/dry-run.png`, step: "fill" }]);
    const [ours] = await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, c!.id));
    expect(ours?.status).toBe("pending");
    const [batch] = await database.db.select({ status: batches.status }).from(batches).where(eq(batches.id, batchId));
    expect(batch?.status).toBe("finished");
  }, 120_000);

  it("of a case the portal already has is rehearsed too, with a note saying so and no status write", async () => {
    const [c] = await newCases(1);
    // A real run files it first.
    const realBatch = await plan([c!.id]);
    await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, realBatch), eq(runs.status, "submitted"))))[0]);
    // …and the CRM has heard it (its write-backs are delivered after the outcome commits).
    await until(async () => (await database.db.select().from(outbox).where(eq(outbox.caseId, c!.id))).every((o) => o.status === "delivered") || undefined);
    // Pretend we lost track of it (the CRM still shows it open to us): a dry run finds the filing.
    await database.db.update(cases).set({ status: "pending" }).where(eq(cases.id, c!.id));
    const patchesBefore = (await crmWritesFor(c!.crmId)).filter((w) => w.method === "PATCH").length;
    const dryBatch = await plan([c!.id], { dryRun: true });
    const run = await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, dryBatch), eq(runs.status, "rehearsed"))))[0]);
    await until(async () => (await crm<CaseBody>(sandbox, "GET", `/cases/${c!.crmId}`)).body.notes.some((n) => n.body.includes("already has a filing")), 30_000);
    expect(await filingsFor(c!.reference)).toHaveLength(1);
    expect((await crmWritesFor(c!.crmId)).filter((w) => w.method === "PATCH")).toHaveLength(patchesBefore);
    expect(run.confirmationNumber).toBeTruthy();
  }, 150_000);
});

describe("the retry override", () => {
  it("ends the run after one attempt when the batch allows one, however transient the fault", async () => {
    const [c] = await newCases(1);
    sandbox.setFaults({ portals: { arden: { error5xxRate: 1 } } });
    const batchId = await plan([c!.id], { retry: { maxAttempts: 1, delaySeconds: 1 } });
    const run = await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, batchId), inArray(runs.status, ["failed", "needs_review", "parked"]))))[0]);
    expect(run).toMatchObject({ maxAttempts: 1, attemptCount: 1, errorClass: "site_flake" });
    expect(await database.db.select({ id: attempts.id }).from(attempts).where(eq(attempts.runId, run.id))).toHaveLength(1);
  }, 120_000);

  it("waits the batch's delay between attempts instead of the deployment's", async () => {
    const [c] = await newCases(1);
    sandbox.setFaults({ portals: { arden: { error5xxRate: 1 } } });
    // The test deployment retries within 0.1–1 s; this batch asks for 3 s.
    const batchId = await plan([c!.id], { retry: { maxAttempts: 2, delaySeconds: 3 } });
    const run = await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, batchId), eq(runs.status, "failed"))))[0]);
    const tries = await database.db.select().from(attempts).where(eq(attempts.runId, run.id)).orderBy(asc(attempts.number));
    expect(tries).toHaveLength(2);
    expect(tries[1]!.startedAt.getTime() - tries[0]!.finishedAt!.getTime()).toBeGreaterThanOrEqual(2_900);
  }, 120_000);
});

describe("cancelling a batch", () => {
  it("cancels queued runs and gives their cases back, lets the running attempt finish, loses nothing, and refuses a second cancel", async () => {
    const batchCases = await newCases(4);
    // Slow pages: the first filing is still under way when the batch is cancelled.
    sandbox.setFaults({ portals: { arden: { latencyMs: 400 } } });
    const batchId = await plan(batchCases.map((c) => c.id));
    const batchRuns = await database.db.select({ id: runs.id }).from(runs).where(eq(runs.batchId, batchId));
    const running = await until(async () => (await database.db.select({ id: runs.id }).from(runs).where(and(eq(runs.batchId, batchId), eq(runs.status, "running"))))[0]);

    const result = await cancelBatch(database.db, database.queue, { batchId, actor: "ops-ana", reason: "Wrong OEM list" });
    expect(result).toEqual({ batchId, cancelledRuns: 3, stillRunning: 1 });
    // The cancelled runs' jobs are gone from the queue.
    const cancelledIds = batchRuns.map((r) => r.id).filter((id) => id !== running.id);
    expect(await listJobs(database.db, { keys: cancelledIds.map(jobKeyForRun) })).toEqual([]);

    // The running attempt finishes: every run ends, none is open.
    await until(async () => (await database.db.select({ id: runs.id }).from(runs).where(and(eq(runs.batchId, batchId), inArray(runs.status, [...OPEN_RUN_STATUSES])))).length === 0);
    const ended = await database.db.select({ id: runs.id, status: runs.status, caseId: runs.caseId }).from(runs).where(eq(runs.batchId, batchId));
    const byRun = Object.fromEntries(ended.map((r) => [r.id, r.status]));
    expect(byRun[running.id]).toBe("submitted");
    for (const id of cancelledIds) expect(byRun[id]).toBe("cancelled");
    const statuses = await database.db.select({ id: cases.id, status: cases.status, reference: cases.reference }).from(cases).where(inArray(cases.id, batchCases.map((c) => c.id)));
    for (const s of statuses) {
      const run = ended.find((r) => r.caseId === s.id)!;
      expect(s.status).toBe(run.id === running.id ? "submitted" : "pending");
      expect(await filingsFor(s.reference)).toHaveLength(run.id === running.id ? 1 : 0);
    }
    const [batch] = await database.db.select().from(batches).where(eq(batches.id, batchId));
    expect(batch).toMatchObject({ status: "cancelled", cancelledBy: "ops-ana", cancelReason: "Wrong OEM list" });
    expect(batch?.cancelledAt).toBeInstanceOf(Date);

    await expect(cancelBatch(database.db, database.queue, { batchId, actor: "ops-ana", reason: null })).rejects.toMatchObject({ code: "conflict", status: 409 });
  }, 150_000);

  it("cancels a running run instead of retrying it after its batch was cancelled", async () => {
    const [c] = await newCases(1);
    sandbox.setFaults({ portals: { arden: { error5xxRate: 1, latencyMs: 300 } } });
    const batchId = await plan([c!.id], { retry: { maxAttempts: 3, delaySeconds: 1 } });
    await until(async () => (await database.db.select({ id: runs.id }).from(runs).where(and(eq(runs.batchId, batchId), eq(runs.status, "running"))))[0]);
    await cancelBatch(database.db, database.queue, { batchId, actor: "ops", reason: null });
    const run = await until(async () => (await database.db.select().from(runs).where(and(eq(runs.batchId, batchId), eq(runs.status, "cancelled"))))[0]);
    expect(run.attemptCount).toBe(1);
    const [ours] = await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, c!.id));
    expect(ours?.status).toBe("pending");
  }, 120_000);
});
