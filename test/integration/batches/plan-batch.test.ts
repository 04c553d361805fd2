import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { batches, cases, runs } from "@/drizzle/schema";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE, type BatchPlan } from "@/lib/batches/recipe";
import type { CaseStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun, parseJobKey } from "@/lib/queue/tasks";
import { createTestDatabase, type TestDatabase } from "../../support/database";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
});
afterAll(async () => {
  await database?.destroy();
});
beforeEach(async () => {
  // Fresh cases per test (jobs are read by the keys of each test's own runs, so older ones do not matter).
  await database.db.execute(sql`truncate runs, batches, cases cascade`);
});

interface Seed {
  ref: string;
  oem?: string;
  kind?: string;
  redaction?: boolean;
  urgent?: boolean;
  status?: CaseStatus;
  /** Minutes after a fixed base time (older = smaller). */
  age: number;
}

const BASE = Date.parse("2026-12-01T00:00:00Z");

async function seed(rows: Seed[]): Promise<Map<string, string>> {
  const inserted = await database.db
    .insert(cases)
    .values(
      rows.map((r) => ({
        crmId: `crm-${r.ref}`,
        reference: r.ref,
        oemId: r.oem ?? "arden",
        kind: r.kind ?? "warranty_claim",
        redactionSensitive: r.redaction ?? false,
        crmPriority: r.urgent ? "urgent" : "normal",
        crmStatus: "open",
        status: r.status ?? "pending",
        createdAt: new Date(BASE + r.age * 60_000),
      })),
    )
    .returning({ id: cases.id, reference: cases.reference });
  return new Map(inserted.map((c) => [c.reference, c.id]));
}

const plan = (change: Partial<BatchPlan> = {}): BatchPlan => ({ ...DEFAULT_RECIPE, ...change });

async function plannedReferences(batchId: string): Promise<string[]> {
  // The order the worker will take them in: the jobs' run_at (equal priorities).
  const rows = await database.db.select({ runId: runs.id, reference: cases.reference }).from(runs).innerJoin(cases, eq(cases.id, runs.caseId)).where(eq(runs.batchId, batchId));
  const byRun = new Map(rows.map((r) => [r.runId, r.reference]));
  const jobs = await listJobs(database.db, { keys: rows.map((r) => jobKeyForRun(r.runId)) });
  expect(jobs).toHaveLength(rows.length);
  return jobs
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime())
    .map((j) => {
      const key = parseJobKey(j.key);
      return key?.kind === "run" ? byRun.get(key.runId)! : "?";
    });
}

const MIXED: Seed[] = [
  { ref: "old-plain", age: 1 },
  { ref: "new-redacted", age: 50, redaction: true },
  { ref: "mid-urgent", age: 20, urgent: true },
  { ref: "old-redacted", age: 5, redaction: true },
  { ref: "new-urgent", age: 40, urgent: true },
  { ref: "mid-plain", age: 30 },
];

async function planned(change: Partial<BatchPlan>) {
  const result = await planBatch(database.db, database.queue, { trigger: "manual", plan: plan(change), recipeVersion: null, deadline: null, createdBy: "test", defaultMaxAttempts: 3 });
  if (result.kind !== "planned") throw new Error(`expected a planned batch, got ${result.kind}`);
  return result;
}

describe("planBatch", () => {
  it("files redaction-sensitive cases first, then oldest, and queues the jobs in that order", async () => {
    await seed(MIXED);
    const batch = await planned({ order: "redaction_first" });
    expect(batch.caseCount).toBe(6);
    expect(await plannedReferences(batch.batchId)).toEqual(["old-redacted", "new-redacted", "old-plain", "mid-urgent", "mid-plain", "new-urgent"]);
  });

  it("files the oldest first with oldest_first", async () => {
    await seed(MIXED);
    const batch = await planned({ order: "oldest_first" });
    expect(await plannedReferences(batch.batchId)).toEqual(["old-plain", "old-redacted", "mid-urgent", "mid-plain", "new-urgent", "new-redacted"]);
  });

  it("files the CRM's urgent cases first, then oldest, with urgent_first", async () => {
    await seed(MIXED);
    const batch = await planned({ order: "urgent_first" });
    expect(await plannedReferences(batch.batchId)).toEqual(["mid-urgent", "new-urgent", "old-plain", "old-redacted", "mid-plain", "new-redacted"]);
  });

  it("breaks ties of equal age by id, the same way every time", async () => {
    const ids = await seed([
      { ref: "tie-a", age: 10 },
      { ref: "tie-b", age: 10 },
      { ref: "tie-c", age: 10 },
    ]);
    const batch = await planned({ order: "oldest_first" });
    const byId = [...ids.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([ref]) => ref);
    expect(await plannedReferences(batch.batchId)).toEqual(byId);
  });

  it("files only pending cases of the chosen OEMs and case kinds", async () => {
    await seed([
      { ref: "arden-claim", oem: "arden", kind: "warranty_claim", age: 1 },
      { ref: "arden-recall", oem: "arden", kind: "recall", age: 2 },
      { ref: "corvid-claim", oem: "corvid", kind: "warranty_claim", age: 3 },
      { ref: "borealis-claim", oem: "borealis", kind: "warranty_claim", age: 4 },
      { ref: "arden-claim-failed", oem: "arden", kind: "warranty_claim", age: 5, status: "needs_review" },
      { ref: "arden-claim-done", oem: "arden", kind: "warranty_claim", age: 6, status: "submitted" },
    ]);
    const batch = await planned({ oemIds: ["arden", "corvid"], caseKinds: ["warranty_claim"], order: "oldest_first" });
    expect(await plannedReferences(batch.batchId)).toEqual(["arden-claim", "corvid-claim"]);
    const statuses = await database.db.select({ reference: cases.reference, status: cases.status }).from(cases);
    expect(Object.fromEntries(statuses.map((s) => [s.reference, s.status]))).toEqual({
      "arden-claim": "queued",
      "corvid-claim": "queued",
      "arden-recall": "pending",
      "borealis-claim": "pending",
      "arden-claim-failed": "needs_review",
      "arden-claim-done": "submitted",
    });
  });

  it("plans exactly the named cases, terminal fails included, and nothing else", async () => {
    const ids = await seed([
      { ref: "chosen-pending", age: 1 },
      { ref: "chosen-parked", age: 2, status: "parked" },
      { ref: "chosen-submitted", age: 3, status: "submitted" },
      { ref: "other-pending", age: 4 },
    ]);
    const batch = await planned({ caseIds: [ids.get("chosen-pending")!, ids.get("chosen-parked")!, ids.get("chosen-submitted")!], oemIds: ["corvid"] });
    expect(batch.caseCount).toBe(2);
    expect((await plannedReferences(batch.batchId)).sort()).toEqual(["chosen-parked", "chosen-pending"]);
    const [other] = await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, ids.get("other-pending")!));
    expect(other?.status).toBe("pending");
  });

  it("skips cases that already have an open run and records the dry-run flag and the retry override on each run", async () => {
    const ids = await seed([
      { ref: "busy", age: 1 },
      { ref: "free", age: 2 },
    ]);
    const [busy] = await database.db.insert(runs).values({ caseId: ids.get("busy")!, status: "queued" }).returning({ id: runs.id });
    const batch = await planned({ dryRun: true, retry: { maxAttempts: 1, delaySeconds: 5 } });
    expect(batch.caseCount).toBe(1);
    const rows = await database.db.select({ caseId: runs.caseId, dryRun: runs.dryRun, maxAttempts: runs.maxAttempts }).from(runs).where(eq(runs.batchId, batch.batchId));
    expect(rows).toEqual([{ caseId: ids.get("free"), dryRun: true, maxAttempts: 1 }]);
    expect(await database.db.select({ id: runs.id }).from(runs).where(eq(runs.caseId, ids.get("busy")!))).toEqual([{ id: busy!.id }]);
    const [stored] = await database.db.select({ caseCount: batches.caseCount, parameters: batches.parameters, status: batches.status }).from(batches).where(eq(batches.id, batch.batchId));
    expect(stored).toMatchObject({ caseCount: 1, status: "running", parameters: { dryRun: true, retry: { maxAttempts: 1, delaySeconds: 5 } } });
  });

  it("uses the deployment's attempts without an override, and creates no batch when nothing is eligible", async () => {
    await seed([{ ref: "only", age: 1 }]);
    const first = await planned({});
    const [run] = await database.db.select({ maxAttempts: runs.maxAttempts, dryRun: runs.dryRun }).from(runs).where(eq(runs.batchId, first.batchId));
    expect(run).toEqual({ maxAttempts: 3, dryRun: false });
    const second = await planBatch(database.db, database.queue, { trigger: "manual", plan: plan(), recipeVersion: null, deadline: null, createdBy: "test", defaultMaxAttempts: 3 });
    expect(second).toEqual({ kind: "nothing_to_file", batchId: null });
    expect(await database.db.select({ id: batches.id }).from(batches)).toHaveLength(1);
  });

  it("records an empty nightly batch once per night, and a second planner for the same night finds it", async () => {
    const night = { key: "2026-12-01", scheduledFor: new Date(BASE), backfilled: false, late: false };
    const params = { trigger: "cron" as const, plan: plan(), recipeVersion: null, deadline: null, createdBy: "schedule", defaultMaxAttempts: 3, night };
    const [a, b] = await Promise.all([planBatch(database.db, database.queue, params), planBatch(database.db, database.queue, params)]);
    const kinds = [a.kind, b.kind].sort();
    expect(kinds).toEqual(["night_exists", "nothing_to_file"]);
    const rows = await database.db.select({ status: batches.status }).from(batches).where(inArray(batches.nightKey, [night.key]));
    expect(rows).toEqual([{ status: "finished" }]);
  });

  it("never gives a case two open runs when two batches are planned at once", async () => {
    await seed(Array.from({ length: 50 }, (_, i) => ({ ref: `race-${i}`, age: i })));
    const params = { trigger: "manual" as const, plan: plan(), recipeVersion: null, deadline: null, createdBy: "test", defaultMaxAttempts: 3 };
    const results = await Promise.all([planBatch(database.db, database.queue, params), planBatch(database.db, database.queue, params)]);
    const total = results.reduce((n, r) => n + (r.kind === "planned" ? r.caseCount : 0), 0);
    expect(total).toBe(50);
    const [open] = await database.db.select({ n: sql<number>`count(*)::int`, cases: sql<number>`count(distinct ${runs.caseId})::int` }).from(runs);
    expect(open).toEqual({ n: 50, cases: 50 });
  });
});
