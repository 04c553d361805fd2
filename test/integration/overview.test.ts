import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, batches, cases, oems, runs, workerHeartbeats } from "@/drizzle/schema";
import type { CaseStatus, ErrorClass, RunStatus } from "@/lib/domain/vocabulary";
import { getOverview } from "@/lib/overview/get-overview";
import { createTestDatabase, type TestDatabase } from "../support/database";

// The injected clock: every batch and run time below is an offset from it.
const NOW = new Date("2026-01-15T02:30:00.000Z");
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

let database: TestDatabase;
let latestBatchId: string;
const openRunIds: string[] = [];

async function insertCase(ref: string, oemId: string, status: CaseStatus): Promise<string> {
  const [row] = await database.db
    .insert(cases)
    .values({ crmId: `CRM-${ref}`, reference: `NS-2026-${ref}`, oemId, kind: "warranty_claim", crmStatus: "new", status })
    .returning({ id: cases.id });
  return row!.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.insert(oems).values([
    { id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM", pausedAt: at(-5), pausedReason: "Credentials refused" },
    { id: "borealis", label: "Borealis Machinery", color: "#1d6f42", monogram: "BM" },
    { id: "corvid", label: "Corvid Industrial", color: "#33415c", monogram: "CI" },
  ]);

  const [older] = await db.insert(batches).values({ trigger: "cron", status: "finished", createdAt: at(-24 * 60), startedAt: at(-24 * 60), finishedAt: at(-23 * 60) }).returning({ id: batches.id });
  const [latest] = await db
    .insert(batches)
    .values({ trigger: "cron", status: "running", caseCount: 9, deadline: at(5 * 60), createdAt: at(-61), startedAt: at(-60) })
    .returning({ id: batches.id });
  latestBatchId = latest!.id;

  // Case status → the latest batch's run for it (status, error class).
  const plan: Array<[ref: string, oem: string, caseStatus: CaseStatus, run: { status: RunStatus; errorClass?: ErrorClass } | null]> = [
    ["A1", "arden", "submitted", { status: "submitted" }],
    ["A2", "arden", "submitted", { status: "submitted" }],
    ["A3", "arden", "running", { status: "running" }],
    ["A4", "arden", "needs_review", { status: "needs_review", errorClass: "portal_rejected" }],
    ["A5", "arden", "failed", { status: "failed", errorClass: "site_changed" }],
    ["B1", "borealis", "pending", null],
    ["B2", "borealis", "queued", { status: "queued" }],
    ["B3", "borealis", "failed", { status: "failed", errorClass: "site_changed" }],
    ["B4", "borealis", "parked", { status: "parked", errorClass: "adapter_bug" }],
    // Between attempts the case stays running while its run waits for the retry.
    ["B5", "borealis", "running", { status: "retry_scheduled", errorClass: "site_flake" }],
  ];
  for (const [ref, oem, caseStatus, run] of plan) {
    const caseId = await insertCase(ref, oem, caseStatus);
    if (!run) {
      // An earlier night's cancelled run: neither in the latest batch nor in the queue.
      await db.insert(runs).values({ caseId, batchId: older!.id, status: "cancelled", createdAt: at(-24 * 60), finishedAt: at(-23 * 60) });
      continue;
    }
    const open = ["queued", "running", "retry_scheduled"].includes(run.status);
    const [row] = await db
      .insert(runs)
      .values({ caseId, batchId: latestBatchId, status: run.status, errorClass: run.errorClass ?? null, createdAt: at(-60), startedAt: at(-60), finishedAt: open ? null : at(-20) })
      .returning({ id: runs.id });
    if (open) openRunIds.push(row!.id);
  }

  await db.insert(alerts).values([
    { severity: "warning", kind: "slow_portal", oemId: "borealis", message: "Borealis Machinery answers slowly.", createdAt: at(-30) },
    { severity: "critical", kind: "portal_paused", oemId: "arden", message: "Arden Motors refused the credentials; its queue is paused.", createdAt: at(-5) },
    { severity: "info", kind: "portal_paused", oemId: "borealis", message: "Resolved long ago.", createdAt: at(-600), resolvedAt: at(-500) },
  ]);

  // Liveness is judged by the database clock: one live worker, one silent for 10 minutes, one stopped.
  const wallNow = Date.now();
  await db.insert(workerHeartbeats).values([
    { id: "w-live", host: "worker-a", pid: 101, concurrency: 2, startedAt: new Date(wallNow - 3_600_000), lastSeenAt: new Date(wallNow) },
    { id: "w-silent", host: "worker-b", pid: 102, concurrency: 2, startedAt: new Date(wallNow - 3_600_000), lastSeenAt: new Date(wallNow - 600_000) },
    { id: "w-stopped", host: "worker-c", pid: 103, concurrency: 2, startedAt: new Date(wallNow - 3_600_000), lastSeenAt: new Date(wallNow), stoppedAt: new Date(wallNow) },
  ]);
});

afterAll(async () => {
  await database?.destroy();
});

describe("getOverview", () => {
  it("counts cases by status into the KPIs", async () => {
    const overview = await getOverview(database.db, { now: NOW });
    expect(overview.generatedAt).toEqual(NOW);
    expect(overview.kpis).toEqual({
      total: 10,
      submitted: 2,
      // pending + queued + running (a case stays running while its run waits for a retry)
      inProgress: 4,
      needsAttention: 4,
      byStatus: { submitted: 2, running: 2, needs_review: 1, failed: 2, pending: 1, queued: 1, parked: 1 },
    });
  });

  it("reports the queue from our runs table: queued, retry scheduled, running", async () => {
    const overview = await getOverview(database.db, { now: NOW });
    expect(overview.queue).toEqual({ queued: 1, retryScheduled: 1, running: 1, depth: 2 });
  });

  it("tallies the latest batch, its failures by class and the morning verdict at the injected time", async () => {
    const { latestBatch } = await getOverview(database.db, { now: NOW });
    expect(latestBatch).toMatchObject({ id: latestBatchId, trigger: "cron", status: "running", caseCount: 9, deadline: at(5 * 60), startedAt: at(-60), totalRuns: 9, openRuns: 3, settledAt: null });
    expect(latestBatch!.runCounts).toEqual({ submitted: 2, running: 1, needs_review: 1, failed: 2, queued: 1, parked: 1, retry_scheduled: 1 });
    // Terminal fails only (the retry's site flake is not one), largest first.
    expect(latestBatch!.failuresByClass[0]).toEqual({ errorClass: "site_changed", count: 2 });
    expect(latestBatch!.failuresByClass.slice(1)).toEqual(expect.arrayContaining([{ errorClass: "portal_rejected", count: 1 }, { errorClass: "adapter_bug", count: 1 }]));
    expect(latestBatch!.failuresByClass).toHaveLength(3);
    // 6 of 9 settled in the first hour: at that pace all 9 take 90 minutes, well before the deadline.
    expect(latestBatch!.morning).toEqual({ verdict: "on_track", projectedFinishAt: at(30) });
  });

  it("says the morning was missed when the clock is past the deadline with runs open", async () => {
    const { latestBatch } = await getOverview(database.db, { now: at(5 * 60 + 1) });
    expect(latestBatch!.morning).toEqual({ verdict: "missed", projectedFinishAt: null });
  });

  it("gives one card per OEM with its counts, paused state and none for an OEM without cases", async () => {
    const overview = await getOverview(database.db, { now: NOW });
    expect(overview.oems.map((oem) => [oem.id, oem.total])).toEqual([
      ["arden", 5],
      ["borealis", 5],
      ["corvid", 0],
    ]);
    const [arden, borealis, corvid] = overview.oems;
    expect(arden).toMatchObject({ label: "Arden Motors", color: "#b4232a", monogram: "AM", pausedAt: at(-5), pausedReason: "Credentials refused" });
    expect(arden!.counts).toEqual({ submitted: 2, running: 1, needs_review: 1, failed: 1 });
    expect(borealis!.counts).toEqual({ pending: 1, queued: 1, failed: 1, parked: 1, running: 1 });
    expect(borealis!.pausedAt).toBeNull();
    expect(corvid!.counts).toEqual({});
  });

  it("lists open alerts newest first and only live workers", async () => {
    const overview = await getOverview(database.db, { now: NOW, workerStaleAfterSeconds: 60 });
    expect(overview.alerts.map((alert) => [alert.severity, alert.kind, alert.oemId])).toEqual([
      ["critical", "portal_paused", "arden"],
      ["warning", "slow_portal", "borealis"],
    ]);
    expect(overview.workers.map((worker) => worker.id)).toEqual(["w-live"]);
    expect(overview.workers[0]).toMatchObject({ host: "worker-a", pid: 101, concurrency: 2 });
  });

  it("is done by morning once every run settled before the deadline", async () => {
    await database.db.update(runs).set({ status: "submitted", finishedAt: at(45) }).where(inArray(runs.id, openRunIds));
    const overview = await getOverview(database.db, { now: at(60) });
    expect(overview.queue).toEqual({ queued: 0, retryScheduled: 0, running: 0, depth: 0 });
    expect(overview.latestBatch).toMatchObject({ openRuns: 0, settledAt: at(45), morning: { verdict: "done", projectedFinishAt: null } });
    expect(overview.latestBatch!.runCounts.submitted).toBe(5);
  });

  it("has no latest batch and empty counts before anything happened", async () => {
    const empty = await createTestDatabase();
    try {
      const overview = await getOverview(empty.db, { now: NOW });
      expect(overview).toMatchObject({ latestBatch: null, oems: [], workers: [], alerts: [], queue: { queued: 0, retryScheduled: 0, running: 0, depth: 0 } });
      expect(overview.kpis).toEqual({ total: 0, submitted: 0, inProgress: 0, needsAttention: 0, byStatus: {} });
    } finally {
      await empty.destroy();
    }
  });
});

