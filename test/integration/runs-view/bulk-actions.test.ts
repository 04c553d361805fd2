import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as RouteModule from "@/app/api/runs/bulk/route";
import { auditLog, batches, bulkActions, cases, runs } from "@/drizzle/schema";
import type { CaseStatus, ErrorClass, RunStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { submitCaseJob } from "@/lib/queue/specs";
import { jobKeyForRun, PRIORITY } from "@/lib/queue/tasks";
import { BULK_SELECTION_CAP, runBulkAction } from "@/lib/runs/bulk-actions";
import { EMPTY_RUN_LIST_FILTER } from "@/lib/runs/queries/run-list-params";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";
import { releaseWebDeps } from "../../support/web-deps";

let database: TestDatabase;
let dataDir: string;
const savedEnv = { ...process.env };
let serial = 0;

/** A case with one run in the given state (plus its job while the run is waiting). */
async function seed(values: { oemId?: string; status: RunStatus; caseStatus?: CaseStatus; errorClass?: ErrorClass; batchId?: string; caseId?: string; createdAt?: Date }) {
  const { db } = database;
  const oemId = values.oemId ?? "arden";
  let caseId = values.caseId;
  if (!caseId) {
    const [row] = await db
      .insert(cases)
      .values({ crmId: `CRM-${++serial}-${randomUUID()}`, reference: `NS-2026-${String(serial).padStart(5, "0")}`, oemId, kind: "warranty_claim", crmStatus: "new", status: values.caseStatus ?? caseStatusFor(values.status) })
      .returning({ id: cases.id });
    caseId = row!.id;
  }
  const [run] = await db
    .insert(runs)
    .values({ caseId, status: values.status, errorClass: values.errorClass ?? null, batchId: values.batchId ?? null, attemptCount: 1, createdAt: values.createdAt ?? new Date(Date.now() - 60_000 + serial) })
    .returning({ id: runs.id });
  if (values.status === "queued" || values.status === "retry_scheduled") {
    await database.queue.addJob(submitCaseJob({ runId: run!.id, oemId, priority: 0, runAt: values.status === "retry_scheduled" ? new Date(Date.now() + 600_000) : null }));
  }
  return { runId: run!.id, caseId };
}

function caseStatusFor(status: RunStatus): CaseStatus {
  if (status === "queued") return "queued";
  if (status === "running" || status === "retry_scheduled") return "running";
  if (status === "needs_review" || status === "parked" || status === "failed" || status === "submitted") return status;
  return "pending";
}

const counts = async () => ({
  runs: (await database.db.select({ n: sql<number>`count(*)::int` }).from(runs))[0]!.n,
  bulk: (await database.db.select({ n: sql<number>`count(*)::int` }).from(bulkActions))[0]!.n,
  audit: (await database.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n,
});

const statusOf = async (runId: string) => (await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)))[0]?.status;
const caseStatusOf = async (caseId: string) => (await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, caseId)))[0]?.status;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-bulk-"));
  await syncOems(database.db, { portalUrls: {} });
});

afterAll(async () => {
  await releaseWebDeps();
  process.env = savedEnv;
  await database?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each test starts from an empty world of runs (the OEMs stay).
beforeEach(async () => {
  await database.db.execute(sql`truncate audit_log, bulk_actions, artifacts, attempts, outbox, portal_sessions, runs, cases, batches cascade`);
});

describe("bulk retry", () => {
  it("by ids: a fresh queued run per case of each terminal fail, the others skipped and counted, one named record and an audit row per run", async () => {
    const failed = await seed({ status: "failed", errorClass: "site_changed" });
    const review = await seed({ status: "needs_review", errorClass: "site_changed" });
    const parked = await seed({ status: "parked", errorClass: "site_changed" });
    // A second failed run of the first case: one new run for the case, the older one skipped.
    const olderOfFailed = await seed({ status: "failed", errorClass: "site_changed", caseId: failed.caseId, createdAt: new Date(Date.now() - 3_600_000) });
    const submitted = await seed({ status: "submitted" });
    const queued = await seed({ status: "queued" });
    const selection = { runIds: [failed.runId, review.runId, parked.runId, olderOfFailed.runId, submitted.runId, queued.runId, randomUUID()] };

    const result = await runBulkAction(database.db, database.queue, { action: "retry", selection, actor: "dashboard", maxAttempts: 3 });

    expect(result).toMatchObject({ action: "retry", runCount: 7, results: { retried: 3, skipped: 4 } });
    expect(result.name).toBe("Retry 7 Arden site-changed runs");
    const [record] = await database.db.select().from(bulkActions);
    expect(record).toMatchObject({ id: result.id, action: "retry", name: result.name, selection, results: { retried: 3, skipped: 4 }, runCount: 7, actor: "dashboard" });

    const audit = await database.db.select().from(auditLog);
    expect(audit).toHaveLength(3);
    expect(new Set(audit.map((row) => row.runId))).toEqual(new Set([failed.runId, review.runId, parked.runId]));
    for (const row of audit) expect(row).toMatchObject({ action: "retry_run", actor: "dashboard", bulkActionId: result.id, oemId: "arden" });

    const fresh = await database.db.select().from(runs).where(inArray(runs.id, audit.map((row) => (row.details as { newRunId: string }).newRunId)));
    expect(fresh).toHaveLength(3);
    for (const run of fresh) expect(run).toMatchObject({ status: "queued", priority: PRIORITY.urgent, maxAttempts: 3, batchId: null });
    expect(new Set(fresh.map((run) => run.caseId))).toEqual(new Set([failed.caseId, review.caseId, parked.caseId]));
    for (const caseId of [failed.caseId, review.caseId, parked.caseId]) expect(await caseStatusOf(caseId)).toBe("queued");
    // Each fresh run has its job, added after the commit.
    const jobs = await listJobs(database.db, { keys: fresh.map((run) => jobKeyForRun(run.id)) });
    expect(jobs).toHaveLength(3);
    // What was skipped is untouched.
    expect(await statusOf(submitted.runId)).toBe("submitted");
    expect(await statusOf(queued.runId)).toBe("queued");
    expect(await statusOf(failed.runId)).toBe("failed");
  });

  it("by filter: resolves the filter on the server and stores it as given", async () => {
    const arden = await seed({ status: "failed", errorClass: "portal_rejected" });
    await seed({ status: "failed", errorClass: "portal_rejected", oemId: "corvid" });
    await seed({ status: "submitted" });
    const filter = { ...EMPTY_RUN_LIST_FILTER, oem: "arden" };
    const result = await runBulkAction(database.db, database.queue, { action: "retry", name: "Arden after the portal fix", selection: { filter }, actor: "dashboard", maxAttempts: 2 });
    expect(result).toMatchObject({ name: "Arden after the portal fix", runCount: 2, results: { retried: 1, skipped: 1 } });
    const [record] = await database.db.select({ selection: bulkActions.selection }).from(bulkActions);
    expect(record!.selection).toEqual({ filter });
    expect(await caseStatusOf(arden.caseId)).toBe("queued");
  });

  it("is a conflict when nothing qualifies, and writes nothing", async () => {
    const submitted = await seed({ status: "submitted" });
    const running = await seed({ status: "running" });
    const before = await counts();
    await expect(runBulkAction(database.db, database.queue, { action: "retry", selection: { runIds: [submitted.runId, running.runId] }, actor: "dashboard", maxAttempts: 3 })).rejects.toMatchObject({ code: "conflict" });
    await expect(runBulkAction(database.db, database.queue, { action: "retry", selection: { filter: { ...EMPTY_RUN_LIST_FILTER, oem: "corvid" } }, actor: "dashboard", maxAttempts: 3 })).rejects.toMatchObject({ code: "conflict", message: "No run matches this filter." });
    expect(await counts()).toEqual(before);
  });

  it("refuses a filter that matches more than the cap", async () => {
    const one = await seed({ status: "failed", errorClass: "site_flake" });
    await database.db.execute(sql`insert into runs (case_id, status) select ${one.caseId}, 'failed' from generate_series(1, ${BULK_SELECTION_CAP})`);
    const before = await counts();
    await expect(runBulkAction(database.db, database.queue, { action: "retry", selection: { filter: EMPTY_RUN_LIST_FILTER }, actor: "dashboard", maxAttempts: 3 })).rejects.toMatchObject({
      code: "unprocessable",
      fields: { selection: [expect.stringMatching(/more than 5,000 runs/)] },
    });
    expect(await counts()).toEqual(before);
  });
});

describe("bulk cancel", () => {
  it("cancels waiting runs, puts their cases back to pending, removes their jobs, and finishes a batch left with nothing open", async () => {
    const [batch] = await database.db.insert(batches).values({ trigger: "cron", status: "running" }).returning({ id: batches.id });
    const queued = await seed({ status: "queued", oemId: "borealis", batchId: batch!.id });
    const retrying = await seed({ status: "retry_scheduled", oemId: "borealis", batchId: batch!.id, errorClass: "site_flake" });
    const running = await seed({ status: "running", oemId: "borealis" });
    const done = await seed({ status: "submitted", oemId: "borealis", batchId: batch!.id });
    expect(await listJobs(database.db, { keys: [queued.runId, retrying.runId].map(jobKeyForRun) })).toHaveLength(2);

    const result = await runBulkAction(database.db, database.queue, { action: "cancel", selection: { filter: { ...EMPTY_RUN_LIST_FILTER, oem: "borealis" } }, actor: "dashboard", maxAttempts: 3 });

    expect(result).toMatchObject({ action: "cancel", runCount: 4, results: { cancelled: 2, skipped: 2 }, name: "Cancel 4 Borealis runs" });
    for (const run of [queued, retrying]) {
      expect(await statusOf(run.runId)).toBe("cancelled");
      expect(await caseStatusOf(run.caseId)).toBe("pending");
    }
    expect(await statusOf(running.runId)).toBe("running");
    expect(await caseStatusOf(running.caseId)).toBe("running");
    expect(await statusOf(done.runId)).toBe("submitted");
    expect(await listJobs(database.db, { keys: [queued.runId, retrying.runId].map(jobKeyForRun) })).toEqual([]);
    const [cancelledRow] = await database.db.select({ errorCode: runs.errorCode, finishedAt: runs.finishedAt }).from(runs).where(eq(runs.id, queued.runId));
    expect(cancelledRow?.errorCode).toBe("cancelled_by_person");
    expect(cancelledRow?.finishedAt).toBeInstanceOf(Date);
    const [batchRow] = await database.db.select({ status: batches.status }).from(batches).where(eq(batches.id, batch!.id));
    expect(batchRow!.status).toBe("finished");

    const audit = await database.db.select().from(auditLog);
    expect(audit.map((row) => [row.runId, row.action, row.bulkActionId, (row.details as { from: string }).from]).sort()).toEqual(
      [
        [queued.runId, "cancel_run", result.id, "queued"],
        [retrying.runId, "cancel_run", result.id, "retry_scheduled"],
      ].sort(),
    );
  });

  it("names a cancel of one OEM's queue in words and is a conflict when nothing waits", async () => {
    const a = await seed({ status: "queued", oemId: "corvid" });
    const b = await seed({ status: "queued", oemId: "corvid" });
    const result = await runBulkAction(database.db, database.queue, { action: "cancel", selection: { runIds: [a.runId, b.runId] }, actor: "dashboard", maxAttempts: 3 });
    expect(result).toMatchObject({ name: "Cancel 2 queued Corvid runs", results: { cancelled: 2, skipped: 0 } });
    const before = await counts();
    await expect(runBulkAction(database.db, database.queue, { action: "cancel", selection: { runIds: [a.runId, b.runId] }, actor: "dashboard", maxAttempts: 3 })).rejects.toMatchObject({ code: "conflict" });
    expect(await counts()).toEqual(before);
  });
});

describe("POST /api/runs/bulk", () => {
  let POST: typeof RouteModule.POST;
  let signedIn: Record<string, string> = {};
  const ORIGIN = "http://127.0.0.1:3000";

  beforeAll(async () => {
    process.env.DATABASE_URL = database.url;
    process.env.NIGHTSHIFT_DATA_DIR = dataDir;
    process.env.ARTIFACTS_DIR = path.join(dataDir, "artifacts");
    process.env.ARTIFACT_URL_SECRET = "s".repeat(40);
    process.env.LOG_LEVEL = "silent";
    process.env.RETRY_MAX_ATTEMPTS = "3";
    ({ POST } = await import("@/app/api/runs/bulk/route"));
    signedIn = await actorHeaders("ops");
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    POST(new Request(`${ORIGIN}/api/runs/bulk`, { method: "POST", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: ORIGIN, ...signedIn, ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }), {});

  it("answers 201 with the bulk action's id, name and results", async () => {
    const failed = await seed({ status: "failed", errorClass: "auth", oemId: "corvid" });
    const response = await post({ action: "retry", selection: { runIds: [failed.runId] } });
    expect(response.status).toBe(201);
    const { id, ...body } = (await response.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toEqual({ action: "retry", name: "Retry 1 Corvid credentials run", results: { retried: 1, skipped: 0 }, runCount: 1 });
    const [record] = await database.db.select({ id: bulkActions.id, actor: bulkActions.actor }).from(bulkActions);
    expect(record).toEqual({ id, actor: actorEmail("ops") });
  });

  it("answers 400 with fields on bad input, 409 when nothing qualifies, 403 cross-site — and changes nothing", async () => {
    const queued = await seed({ status: "queued" });
    const before = await counts();
    const bad = await post({ action: "explode", name: 7, selection: { runIds: ["x"], filter: { status: "bogus" } } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; fields: Record<string, string[]> } };
    expect(error.code).toBe("bad_request");
    expect(Object.keys(error.fields)).toEqual(expect.arrayContaining(["action", "name", "selection.runIds.0", "selection.filter.status.0"]));
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ action: "retry", selection: { filter: { cursor: "abc" } } })).status).toBe(400);

    const conflict = await post({ action: "retry", selection: { runIds: [queued.runId] } });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe("conflict");

    expect((await post({ action: "cancel", selection: { runIds: [queued.runId] } }, { origin: "https://evil.example" })).status).toBe(403);
    expect(await counts()).toEqual(before);
    expect(await statusOf(queued.runId)).toBe("queued");
  });
});
