import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, batches, cases, outbox, runs } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { buildMorningDigest, failureNoteKey } from "@/lib/batches/digest";
import type { MorningDigest } from "@/lib/batches/digest-types";
import { getBatchProgress } from "@/lib/batches/progress";
import { watchBatches } from "@/lib/batches/watch-batches";
import type { StoredFailure } from "@/lib/domain/types";
import type { RunStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { getOverview } from "@/lib/overview/get-overview";
import type * as RouteModule from "@/app/api/batches/[id]/route";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorHeaders } from "@/test/support/actor-headers";

/**
 * The watch and the digest on a real database with batches written row by row, so the clock can
 * be injected: a night is replayed in milliseconds. (No worker here: its sweep would pick up the
 * hand-made open runs and file them.)
 */
let database: TestDatabase;
let dataDir: string;
const store = () => createArtifactStore({ artifactsDir: path.join(dataDir, "artifacts"), artifactLinks: { secret: "s".repeat(40), publicBaseUrl: "https://nightshift.example" } });
const ZONE = "America/Chicago";
// 1:30 AM Central; deadline 7:00 AM Central.
const START = new Date("2026-01-15T07:30:00.000Z");
const DEADLINE = new Date("2026-01-15T13:00:00.000Z");
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

const savedEnv = { ...process.env };

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-digest-"));
});
afterAll(async () => {
  const shared = (globalThis as { nightshiftDb?: { close(): Promise<void> } }).nightshiftDb;
  await shared?.close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  process.env = savedEnv;
  await database?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

function failure(runId: string, fingerprint: string, errorClass: StoredFailure["errorClass"], oemId = "arden"): StoredFailure {
  return {
    reason: errorClass === "portal_rejected" ? `The ${oemId} portal rejected the submission: “VIN contains invalid characters”` : "Not submitted: the automation for this portal hit an unexpected error.",
    errorClass,
    code: errorClass === "portal_rejected" ? "field_invalid" : "unhandled_exception",
    lastGoodStep: "fill",
    failingStep: "submit",
    attempts: [{ number: 1, status: "failed", errorClass, code: "x", startedAt: START.toISOString(), finishedAt: START.toISOString() }],
    evidence: { screenshot: `runs/${runId}/1/failure.png`, dom: `runs/${runId}/1/dom.html`, trace: null },
    portalUrl: null,
    fingerprint,
    nextAction: "Check the case data in the CRM.",
  };
}

interface RunSpec {
  status: RunStatus;
  oemId?: string;
  finishedAt?: Date | null;
  failure?: (runId: string) => StoredFailure;
}

/** A batch with one case and one run per spec, written directly. */
async function makeBatch(params: { status: "running" | "finished" | "cancelled"; deadline: Date | null; runs: RunSpec[]; trigger?: "cron" | "manual"; finishedAt?: Date }) {
  const [batch] = await database.db
    .insert(batches)
    .values({ trigger: params.trigger ?? "cron", status: params.status, deadline: params.deadline, startedAt: START, finishedAt: params.finishedAt ?? null, caseCount: params.runs.length, createdBy: "schedule", createdAt: START })
    .returning({ id: batches.id });
  const made: Array<{ runId: string; caseId: string }> = [];
  for (const spec of params.runs) {
    const [c] = await database.db
      .insert(cases)
      .values({ crmId: `CRM-${randomUUID()}`, reference: `NS-2026-${String(made.length + 1).padStart(5, "0")}`, oemId: spec.oemId ?? "arden", kind: "warranty_claim", crmStatus: "new", status: "queued" })
      .returning({ id: cases.id });
    const runId = randomUUID();
    const stored = spec.failure?.(runId) ?? null;
    await database.db.insert(runs).values({
      id: runId,
      caseId: c!.id,
      batchId: batch!.id,
      status: spec.status,
      finishedAt: spec.finishedAt ?? null,
      failure: stored,
      errorClass: stored?.errorClass ?? null,
      errorCode: stored?.code ?? null,
    });
    made.push({ runId, caseId: c!.id });
  }
  return { batchId: batch!.id, runs: made };
}

const openAtRiskAlerts = () => database.db.select().from(alerts).where(and(eq(alerts.kind, "batch_at_risk")));

describe("the batch watch", () => {
  it("raises the at-risk alert once, as soon as the projection passes the deadline, and builds the digest at the deadline", async () => {
    // 100 cases; 30 filed in the first 30 minutes, one a minute.
    const specs: RunSpec[] = Array.from({ length: 100 }, (_, i) => (i < 30 ? { status: "submitted", finishedAt: at(i + 0.5) } : { status: "queued" }));
    const { batchId } = await makeBatch({ status: "running", deadline: DEADLINE, runs: specs });
    const watch = (now: Date) => watchBatches(database.db, database.queue, { store: store(), now, timeZone: ZONE }, { batchId });

    // 30 min in: 1/min over the last 10 minutes, 70 left → finishes at 2:40 AM, well before 7:00.
    const early = await getBatchProgress(database.db, { batchId, now: at(30) });
    expect(early).toMatchObject({ remaining: 70, submitted: 30, atRisk: false, projectedFinish: at(100), throughput: { perMinute: 1, basis: "window" } });
    expect(await watch(at(30))).toMatchObject({ atRisk: [], digests: [] });
    expect(await openAtRiskAlerts()).toHaveLength(0);

    // At 4:00 AM (150 min) nothing has finished for two hours: 30 in 150 min = 0.2/min → 70 left
    // take 350 min → 9:50 AM. At risk now, three hours before the deadline.
    expect(await watch(at(150))).toMatchObject({ atRisk: [batchId], digests: [] });
    const [batch] = await database.db.select().from(batches).where(eq(batches.id, batchId));
    expect(batch?.atRiskSince).toEqual(at(150));
    const raised = await openAtRiskAlerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ severity: "warning", oemId: null, resolvedAt: null });
    expect(raised[0]?.message).toBe("Tonight's batch is projected to finish at 9:50 AM, 2 h 50 min after its 7:00 AM CST deadline.");

    // The overview shows the projection against the deadline, and the badge.
    const { latestBatch } = await getOverview(database.db, { now: at(150) });
    expect(latestBatch).toMatchObject({ id: batchId, deadline: DEADLINE, atRisk: true, atRiskSince: at(150), morning: { verdict: "at_risk", projectedFinishAt: at(500) }, digest: null });

    // Later ticks do not raise it again.
    expect((await watch(at(151))).atRisk).toEqual([]);
    expect((await watch(at(200))).atRisk).toEqual([]);
    expect(await openAtRiskAlerts()).toHaveLength(1);
    expect((await database.db.select().from(batches).where(eq(batches.id, batchId)))[0]?.atRiskSince).toEqual(at(150));

    // At the deadline the digest is built with the open runs, once; the warning is resolved.
    const atDeadline = await watch(DEADLINE);
    expect(atDeadline.digests).toEqual([batchId]);
    const [done] = await database.db.select().from(batches).where(eq(batches.id, batchId));
    expect(done?.metSla).toBe(false);
    expect(done?.digestBuiltAt).toEqual(DEADLINE);
    expect(done?.digest).toMatchObject({ reason: "deadline", eligible: 100, submitted: 30, unfinished: 70, terminalFails: 0, metSla: false, groups: [] });
    expect(done?.digest?.headline).toBe("Deadline missed: at 7:00 AM CST 30 of 100 cases were filed, 70 were still open.");
    expect((await openAtRiskAlerts())[0]?.resolvedAt).toEqual(DEADLINE);
    const after = (await getOverview(database.db, { now: DEADLINE })).latestBatch;
    expect(after?.digest).toEqual({ builtAt: DEADLINE, reason: "deadline", headline: done?.digest?.headline, metSla: false, terminalFails: 0 });

    expect((await watch(new Date(DEADLINE.getTime() + 60_000))).digests).toEqual([]);
    const [again] = await database.db.select().from(batches).where(eq(batches.id, batchId));
    expect(again?.digest).toEqual(done?.digest);
    expect(again?.digestBuiltAt).toEqual(DEADLINE);
  });

  it("leaves a batch on track alone: no alert, no digest before the deadline", async () => {
    const specs: RunSpec[] = Array.from({ length: 20 }, (_, i) => (i < 10 ? { status: "submitted", finishedAt: at(i + 1) } : { status: "running" }));
    const { batchId } = await makeBatch({ status: "running", deadline: DEADLINE, runs: specs, trigger: "manual" });
    expect(await watchBatches(database.db, database.queue, { store: store(), now: at(10), timeZone: ZONE }, { batchId })).toMatchObject({ checked: 1, atRisk: [], digests: [] });
    const [batch] = await database.db.select().from(batches).where(eq(batches.id, batchId));
    expect(batch).toMatchObject({ atRiskSince: null, digestBuiltAt: null, metSla: null });
  });
});

describe("the morning digest", () => {
  let finished: Awaited<ReturnType<typeof makeBatch>>;

  beforeAll(async () => {
    finished = await makeBatch({
      status: "finished",
      deadline: DEADLINE,
      finishedAt: at(40),
      runs: [
        { status: "submitted", finishedAt: at(10) },
        { status: "submitted", oemId: "corvid", finishedAt: at(12) },
        { status: "needs_review", finishedAt: at(20), failure: (id) => failure(id, "fp-vin", "portal_rejected") },
        { status: "needs_review", finishedAt: at(25), failure: (id) => failure(id, "fp-vin", "portal_rejected") },
        { status: "parked", finishedAt: at(40), failure: (id) => failure(id, "fp-bug", "adapter_bug") },
      ],
    });
    // fail-run wrote the first rejection's CRM note already.
    const first = finished.runs[2]!;
    await database.db.insert(outbox).values({ caseId: first.caseId, runId: first.runId, kind: "note", idempotencyKey: failureNoteKey(first.caseId, first.runId), payload: { body: "already noted", kind: "nightshift_failure" } });
  });

  it("groups the terminal fails by OEM × fingerprint with their owners, meets the SLA, and posts only the missing CRM notes, once", async () => {
    const built = await buildMorningDigest(database.db, database.queue, { store: store(), now: at(41), timeZone: ZONE }, { batchId: finished.batchId });
    expect(built.kind).toBe("built");
    if (built.kind !== "built") return;
    expect(built.notesPosted).toBe(2);
    const digest = built.digest;
    expect(digest).toMatchObject({ reason: "finished", eligible: 5, submitted: 2, terminalFails: 3, unfinished: 0, metSla: true, deadline: DEADLINE.toISOString() });
    expect(digest.headline).toBe("2 of 5 cases filed by 2:10 AM, 4 h 50 min before the 7:00 AM CST deadline; 3 need a person (2 for ops, 1 for engineering).");
    expect(digest.groups.map((g) => [g.oemId, g.fingerprint, g.count, g.owner, g.errorClass])).toEqual([
      ["arden", "fp-vin", 2, "ops", "portal_rejected"],
      ["arden", "fp-bug", 1, "engineering", "adapter_bug"],
    ]);
    // Failures are stored with keys, never links.
    expect(digest.groups[0]?.runs[0]?.failure?.evidence.screenshot).toMatch(/^runs\/.+\/1\/failure\.png$/);

    const [row] = await database.db.select().from(batches).where(eq(batches.id, finished.batchId));
    expect(row).toMatchObject({ metSla: true, digestBuiltAt: at(41) });
    expect(row?.digest).toEqual(digest);

    // One note per terminal fail: the existing one kept, the two missing ones queued with fail-run's key and absolute signed links.
    const notes = await database.db.select().from(outbox).where(and(eq(outbox.kind, "note"), like(outbox.idempotencyKey, "nightshift:%:note:%")));
    const ours = notes.filter((n) => finished.runs.some((r) => r.runId === n.runId));
    expect(ours).toHaveLength(3);
    for (const r of finished.runs.slice(2)) expect(ours.filter((n) => n.runId === r.runId)).toHaveLength(1);
    const posted = ours.find((n) => n.runId === finished.runs[3]!.runId)!;
    expect((posted.payload as { body: string }).body).toMatch(new RegExp(`Screenshot: https://nightshift\\.example/api/artifacts/runs/${finished.runs[3]!.runId}/1/failure\\.png\\?expires=\\d+&sig=`));

    // A second build changes nothing.
    const second = await buildMorningDigest(database.db, database.queue, { store: store(), now: at(90), timeZone: ZONE }, { batchId: finished.batchId });
    expect(second.kind).toBe("already_built");
    const [after] = await database.db.select().from(batches).where(eq(batches.id, finished.batchId));
    expect(after?.digestBuiltAt).toEqual(at(41));
    expect(after?.digest).toEqual(digest);
    expect((await database.db.select().from(outbox).where(eq(outbox.kind, "note"))).filter((n) => finished.runs.some((r) => r.runId === n.runId))).toHaveLength(3);
  });

  it("misses the SLA when a terminal fail came after the deadline or has no failure object", async () => {
    const late = await makeBatch({
      status: "finished",
      deadline: DEADLINE,
      runs: [
        { status: "submitted", finishedAt: at(10) },
        { status: "submitted", finishedAt: at(400) },
      ],
    });
    const lateDigest = await buildMorningDigest(database.db, database.queue, { store: store(), now: at(401), timeZone: ZONE }, { batchId: late.batchId });
    expect(lateDigest).toMatchObject({ kind: "built", digest: { metSla: false, headline: "All 2 cases settled by 8:10 AM, 1 h 10 min after the 7:00 AM CST deadline: 2 filed." } });

    const unexplained = await makeBatch({ status: "finished", deadline: DEADLINE, runs: [{ status: "failed", finishedAt: at(10) }] });
    const digest = await buildMorningDigest(database.db, database.queue, { store: store(), now: at(11), timeZone: ZONE }, { batchId: unexplained.batchId });
    expect(digest).toMatchObject({ kind: "built", digest: { metSla: false, terminalFails: 1, groups: [{ owner: "engineering", count: 1 }] } });
  });

  it("is built for a cancelled batch by the next watch tick, and the SLA is missed for the cases not filed", async () => {
    const cancelled = await makeBatch({ status: "cancelled", deadline: DEADLINE, runs: [{ status: "submitted", finishedAt: at(5) }, { status: "cancelled", finishedAt: at(20) }, { status: "cancelled", finishedAt: at(20) }] });
    await database.db.update(batches).set({ cancelledAt: at(20), cancelledBy: "ops@example.com", cancelReason: "Portal audit" }).where(eq(batches.id, cancelled.batchId));
    const tick = await watchBatches(database.db, database.queue, { store: store(), now: at(21), timeZone: ZONE }, { batchId: cancelled.batchId });
    expect(tick.digests).toEqual([cancelled.batchId]);
    const [row] = await database.db.select().from(batches).where(eq(batches.id, cancelled.batchId));
    expect(row).toMatchObject({ metSla: false, digest: { reason: "cancelled", eligible: 3, submitted: 1, cancelled: 2, metSla: false, headline: "The batch was cancelled at 1:50 AM CST: 1 of 3 cases filed, 2 not filed." } });
  });

  it("is not built while runs are open before the deadline", async () => {
    const open = await makeBatch({ status: "running", deadline: DEADLINE, runs: [{ status: "queued" }] });
    expect(await buildMorningDigest(database.db, database.queue, { store: store(), now: at(5), timeZone: ZONE }, { batchId: open.batchId })).toEqual({ kind: "not_due" });
    const [row] = await database.db.select().from(batches).where(eq(batches.id, open.batchId));
    expect(row?.digestBuiltAt).toBeNull();
  });

  describe("GET /api/batches/:id", () => {
    let GET: typeof RouteModule.GET;
    let signedIn: Record<string, string> = {};

    beforeAll(async () => {
      process.env.DATABASE_URL = database.url;
      process.env.NIGHTSHIFT_DATA_DIR = dataDir;
      process.env.ARTIFACTS_DIR = path.join(dataDir, "artifacts");
      process.env.ARTIFACT_URL_SECRET = "s".repeat(40);
      process.env.LOG_LEVEL = "silent";
      ({ GET } = await import("@/app/api/batches/[id]/route"));
      signedIn = await actorHeaders("viewer");
    });

    const get = (id: string) => GET(new Request(`http://127.0.0.1:3000/api/batches/${id}`, { headers: signedIn }), { params: Promise.resolve({ id }) });

    it("answers the batch with its progress per OEM and its digest, with evidence links signed at read time", async () => {
      const response = await get(finished.batchId);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Record<string, unknown> & { digest: MorningDigest & { groups: Array<{ runs: Array<{ failure: Record<string, unknown> }> }> } };
      expect(body).toMatchObject({
        batch: {
          id: finished.batchId,
          trigger: "cron",
          status: "finished",
          recipeVersion: null,
          createdBy: "schedule",
          deadline: DEADLINE.toISOString(),
          startedAt: START.toISOString(),
          finishedAt: at(40).toISOString(),
          backfilled: false,
          late: false,
          cancelledAt: null,
          cancelledBy: null,
          cancelReason: null,
          parameters: { dryRun: false, opsNote: "", order: "redaction_first", caseIdCount: null },
        },
        counts: { total: 5, remaining: 0, submitted: 2, terminalFails: 3, byStatus: { submitted: 2, needs_review: 2, parked: 1 } },
        oems: [
          { oemId: "arden", total: 4, submitted: 1, terminalFails: 3, open: 0 },
          { oemId: "corvid", total: 1, submitted: 1, terminalFails: 0, open: 0 },
        ],
        projectedFinish: null,
        atRisk: false,
        metSla: true,
        digest: { metSla: true, reason: "finished", terminalFails: 3 },
      });
      expect(body.throughput).toMatchObject({ windowMinutes: 10 });
      const failureObject = body.digest.groups[0]!.runs[0]!.failure;
      expect(failureObject.evidence).toBeUndefined();
      expect(failureObject.screenshotUrl).toMatch(/\/api\/artifacts\/runs\/[0-9a-f-]+\/1\/failure\.png\?expires=\d+&sig=/);
      expect(failureObject.traceUrl).toBeNull();
    });

    it("answers 404 for an unknown batch and 400 for a malformed id", async () => {
      const unknown = await get(randomUUID());
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: { code: "not_found", message: "No such batch." } });
      const malformed = await get("not-a-batch");
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    });
  });
});
