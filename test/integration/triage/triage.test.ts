import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as TriageRoute from "@/app/api/triage/route";
import type * as RetryRoute from "@/app/api/triage/groups/[groupId]/retry/route";
import type * as ClassRoute from "@/app/api/triage/groups/[groupId]/class/route";
import type * as AckRoute from "@/app/api/triage/groups/[groupId]/acknowledge/route";
import { auditLog, batches, bulkActions, cases, runs, triageAcknowledgements } from "@/drizzle/schema";
import type { StoredFailure } from "@/lib/domain/types";
import type { ErrorClass, TerminalFailStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun, PRIORITY } from "@/lib/queue/tasks";
import { failureFingerprint, nextActionFor, reasonSentence } from "@/lib/runs/failure";
import type { TriageView } from "@/lib/triage/list-triage";
import type { Jsonified } from "@/components/query/fetch-json";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";

/**
 * Triage over HTTP handlers and a real database: terminal fails written row by row (no worker, so
 * re-queued runs stay queued and can be counted), read and acted on through the route modules as
 * `npm start` serves them.
 */
let database: TestDatabase;
let dataDir: string;
let triage: typeof TriageRoute;
let retry: typeof RetryRoute;
let klass: typeof ClassRoute;
let ack: typeof AckRoute;
const savedEnv = { ...process.env };

const ORIGIN = "http://127.0.0.1:3000";
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

type Json = Jsonified<TriageView>;
interface ErrorBody {
  error?: { code: string; message: string; fields?: Record<string, string[]> };
}
/** An action's answer: its result fields, or the one error shape. */
type ActionBody = ErrorBody & Record<string, unknown>;

let signedIn: Record<string, string> = {};

async function getTriage(query = ""): Promise<{ status: number; body: Json & ErrorBody }> {
  const response = await triage.GET(new Request(`${ORIGIN}/api/triage${query}`, { headers: signedIn }), {});
  return { status: response.status, body: (await response.json()) as Json & ErrorBody };
}

async function call(handler: (request: Request, context: { params: Record<string, string> }) => Promise<Response>, method: string, groupId: string, body?: unknown) {
  const request = new Request(`${ORIGIN}/api/triage/groups/${groupId}/x`, {
    method,
    headers: { host: "127.0.0.1:3000", origin: ORIGIN, ...signedIn, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handler(request, { params: { groupId } });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as ActionBody };
}

interface FailSpec {
  oemId: "arden" | "borealis" | "corvid";
  errorClass: ErrorClass;
  code: string;
  step: string;
  message: string;
  batchId: string | null;
  finishedAt: Date;
  screenshot?: boolean;
}

const statusOf: Record<ErrorClass, TerminalFailStatus> = {
  site_flake: "failed",
  site_popup: "failed",
  site_changed: "parked",
  portal_rejected: "needs_review",
  auth: "failed",
  adapter_bug: "parked",
  infra: "failed",
};
const labels = { arden: "Arden Motors", borealis: "Borealis Machinery", corvid: "Corvid Instruments" } as const;
let refs = 0;

/** A case whose newest run is a terminal fail with its failure object and fingerprint (as fail-run writes it). */
async function seedFail(spec: FailSpec, caseId?: string): Promise<{ caseId: string; runId: string; fingerprint: string }> {
  const { db } = database;
  const status = statusOf[spec.errorClass];
  if (!caseId) {
    refs += 1;
    const [row] = await db
      .insert(cases)
      .values({ crmId: `CRM-T${refs}`, reference: `NS-T-${String(refs).padStart(3, "0")}`, oemId: spec.oemId, kind: "warranty_claim", crmStatus: "failed", status })
      .returning({ id: cases.id });
    caseId = row!.id;
  }
  const fingerprint = failureFingerprint({ oemId: spec.oemId, step: spec.step, code: spec.code, message: spec.message });
  const [run] = await db
    .insert(runs)
    .values({ caseId, batchId: spec.batchId, status, errorClass: spec.errorClass, errorCode: spec.code, attemptCount: 1, createdAt: new Date(spec.finishedAt.getTime() - 60_000), finishedAt: spec.finishedAt })
    .returning({ id: runs.id });
  const failure: StoredFailure = {
    reason: reasonSentence({ oemLabel: labels[spec.oemId], errorClass: spec.errorClass, message: spec.message, failingStep: spec.step }),
    errorClass: spec.errorClass,
    code: spec.code,
    lastGoodStep: "login",
    failingStep: spec.step,
    attempts: [{ number: 1, status: "failed", errorClass: spec.errorClass, code: spec.code, startedAt: spec.finishedAt.toISOString(), finishedAt: spec.finishedAt.toISOString() }],
    evidence: { screenshot: spec.screenshot ? `runs/${run!.id}/1/failure.png` : null, dom: null, trace: null },
    portalUrl: null,
    fingerprint,
    nextAction: nextActionFor(spec.errorClass),
  };
  await db.update(runs).set({ failure, fingerprint }).where(eq(runs.id, run!.id));
  await db.update(cases).set({ status }).where(eq(cases.id, caseId));
  return { caseId, runId: run!.id, fingerprint };
}

// The groups: A (Arden, site changed, 3 open + 1 submitted since), B (Borealis rejected, 2), C (Corvid credentials), D (Arden infra), E (retried since: none open).
const A = { oemId: "arden", errorClass: "site_changed", code: "selector_missing", step: "fill_form", message: "No element matches #vin-input after 3 tries" } as const;
const B = { oemId: "borealis", errorClass: "portal_rejected", code: "portal_rejected", step: "submit", message: 'Serial "BX-1234" is not registered' } as const;
const C = { oemId: "corvid", errorClass: "auth", code: "login_refused", step: "login", message: "Invalid username or password" } as const;
const D = { oemId: "arden", errorClass: "infra", code: "browser_crashed", step: "open_form", message: "Target page, context or browser has been closed" } as const;
const E = { oemId: "arden", errorClass: "site_flake", code: "http_503", step: "open_form", message: "Portal answered 503" } as const;
const fp = {} as Record<"A" | "B" | "C" | "D" | "E", string>;
const seeded = { aRuns: [] as string[], bCases: [] as string[], bRuns: [] as string[], batch1: "", batch2: "" };

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-triage-"));
  process.env.DATABASE_URL = database.url;
  process.env.NIGHTSHIFT_DATA_DIR = dataDir;
  process.env.ARTIFACT_URL_SECRET = "t".repeat(40);
  process.env.NIGHTSHIFT_PUBLIC_URL = "";
  // The routes' job queue is this database's (the test database releases it): one WorkerUtils pool, not two.
  (globalThis as { nightshiftWebDeps?: { queue?: Promise<unknown> } }).nightshiftWebDeps = { queue: Promise.resolve(database.queue) };
  triage = await import("@/app/api/triage/route");
  retry = await import("@/app/api/triage/groups/[groupId]/retry/route");
  klass = await import("@/app/api/triage/groups/[groupId]/class/route");
  ack = await import("@/app/api/triage/groups/[groupId]/acknowledge/route");
  signedIn = await actorHeaders("ops");

  const { db } = database;
  const [b1] = await db.insert(batches).values({ trigger: "cron", status: "finished", caseCount: 6, createdAt: ago(30), startedAt: ago(30), finishedAt: ago(29) }).returning({ id: batches.id });
  const [b2] = await db.insert(batches).values({ trigger: "cron", status: "finished", caseCount: 6, createdAt: ago(6), startedAt: ago(6), finishedAt: ago(5) }).returning({ id: batches.id });
  seeded.batch1 = b1!.id;
  seeded.batch2 = b2!.id;

  for (const [i, batchId] of [b1!.id, b2!.id, b2!.id].entries()) {
    const made = await seedFail({ ...A, batchId, finishedAt: ago(29 - i * 12), screenshot: i === 2 });
    fp.A = made.fingerprint;
    seeded.aRuns.push(made.runId);
  }
  // An Arden case that failed the same way but was submitted by a later run: no longer in triage.
  const healed = await seedFail({ ...A, batchId: b1!.id, finishedAt: ago(29) });
  await db.insert(runs).values({ caseId: healed.caseId, batchId: b2!.id, status: "submitted", createdAt: ago(5.5), finishedAt: ago(5) });
  await db.update(cases).set({ status: "submitted" }).where(eq(cases.id, healed.caseId));

  for (const h of [5.2, 5.1]) {
    const made = await seedFail({ ...B, message: B.message.replace("1234", String(h * 10)), batchId: b2!.id, finishedAt: ago(h) });
    fp.B = made.fingerprint;
    seeded.bCases.push(made.caseId);
    seeded.bRuns.push(made.runId);
  }
  fp.C = (await seedFail({ ...C, batchId: b2!.id, finishedAt: ago(5.3) })).fingerprint;
  fp.D = (await seedFail({ ...D, batchId: null, finishedAt: ago(1) })).fingerprint;
  // E: a case retried since (its newest run is queued again): not in triage.
  const retried = await seedFail({ ...E, batchId: b2!.id, finishedAt: ago(5) });
  fp.E = retried.fingerprint;
  await db.insert(runs).values({ caseId: retried.caseId, status: "queued", createdAt: ago(0.5) });
  await db.update(cases).set({ status: "queued" }).where(eq(cases.id, retried.caseId));
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

const groupOf = (view: Json, fingerprint: string) => view.groups.find((g) => g.groupId === fingerprint);

describe("GET /api/triage", () => {
  it("groups open terminal fails by fingerprint in lanes by owner, counted in SQL", async () => {
    const { status, body } = await getTriage();
    expect(status).toBe(200);
    expect(body.lanes).toEqual([
      { lane: "engineering", groups: 1, runs: 3, acknowledged: 0 },
      { lane: "ops", groups: 1, runs: 2, acknowledged: 0 },
      { lane: "admin", groups: 1, runs: 1, acknowledged: 0 },
      { lane: "infrastructure", groups: 1, runs: 1, acknowledged: 0 },
    ]);
    expect(body.total).toEqual({ groups: 4, runs: 7 });
    expect(body.groups.map((g) => g.groupId)).toEqual([fp.A, fp.B, fp.C, fp.D]);
    // The retried case (E) and the case submitted since are not in triage.
    expect(groupOf(body, fp.E)).toBeUndefined();
    expect(body.empty).toBeNull();
  });

  it("gives each group its count, first and last seen, batches, reason, sample screenshot and links", async () => {
    const a = groupOf((await getTriage()).body, fp.A)!;
    expect(a).toMatchObject({
      fingerprint: fp.A,
      lane: "engineering",
      errorClass: "site_changed",
      mixedClasses: false,
      errorCode: "selector_missing",
      oem: { id: "arden", label: "Arden Motors" },
      count: 3,
      runsHref: `/runs?fingerprint=${fp.A}`,
      acknowledgement: null,
    });
    expect(new Date(a.firstSeenAt!).getTime()).toBeCloseTo(ago(29).getTime(), -4);
    expect(new Date(a.lastSeenAt!).getTime()).toBeCloseTo(ago(5).getTime(), -4);
    expect(a.batches.count).toBe(2);
    expect(a.batches.recent.map((b) => b.id)).toEqual([seeded.batch2, seeded.batch1]);
    expect(a.sample?.failure.reason).toBe('Not submitted: the portal\'s page no longer looks the way the automation expects (at step "fill form").');
    expect(a.sample?.runId).toBe(seeded.aRuns[2]);
    expect(a.sample?.failure.screenshotUrl).toMatch(new RegExp(`^/api/artifacts/runs/${seeded.aRuns[2]}/1/failure\\.png\\?expires=\\d+&sig=`));
    expect(a.sample?.failure).not.toHaveProperty("evidence");
    expect(a.cases.map((c) => c.runId)).toEqual([...seeded.aRuns].reverse());
    expect(a.cases[0]).toMatchObject({ status: "parked" });
    expect(a.cases[0]?.reference).toMatch(/^NS-T-/);
  });

  it("pages through groups with a keyset cursor, and filters by lane and OEM", async () => {
    const first = (await getTriage("?limit=3")).body;
    expect(first.groups.map((g) => g.groupId)).toEqual([fp.A, fp.B, fp.C]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await getTriage(`?limit=3&cursor=${first.nextCursor}`)).body;
    expect(second.groups.map((g) => g.groupId)).toEqual([fp.D]);
    expect(second.nextCursor).toBeNull();

    expect((await getTriage("?lane=ops")).body.groups.map((g) => g.groupId)).toEqual([fp.B]);
    const arden = (await getTriage("?oem=arden")).body;
    expect(arden.groups.map((g) => g.groupId)).toEqual([fp.A, fp.D]);
    expect(arden.total).toEqual({ groups: 2, runs: 4 });
  });

  it("refuses a bad lane, limit or cursor with a 400 naming the fields", async () => {
    const { status, body } = await getTriage("?lane=sales&limit=500&cursor=nope");
    expect(status).toBe(400);
    expect(body.error?.code).toBe("bad_request");
    expect(Object.keys(body.error?.fields ?? {}).sort()).toEqual(["cursor", "lane", "limit"]);
  });
});

describe("POST /api/triage/groups/:groupId/class", () => {
  it("refuses bad input with a 400 and field errors, an unknown group with 404, and changes nothing", async () => {
    const before = await database.db.select({ id: runs.id, errorClass: runs.errorClass }).from(runs).where(eq(runs.fingerprint, fp.A));
    const noReason = await call(klass.POST, "POST", fp.A, { errorClass: "portal_rejected" });
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error?.fields ?? {})).toEqual(["reason"]);
    const badClass = await call(klass.POST, "POST", fp.A, { errorClass: "gremlins", reason: "It was gremlins" });
    expect(badClass.status).toBe(400);
    expect(Object.keys(badClass.body.error?.fields ?? {})).toEqual(["errorClass"]);
    const long = await call(klass.POST, "POST", fp.A, { errorClass: "site_flake", reason: "x".repeat(501) });
    expect(long.body.error?.fields).toEqual({ reason: ["At most 500 characters"] });
    const badId = await call(klass.POST, "POST", "not-a-group", { errorClass: "site_flake", reason: "Portal outage" });
    expect(badId.status).toBe(400);
    expect(Object.keys(badId.body.error?.fields ?? {})).toEqual(["groupId"]);
    const unknown = await call(klass.POST, "POST", "0000000000000000", { errorClass: "site_flake", reason: "Portal outage" });
    expect(unknown).toEqual({ status: 404, body: { error: { code: "not_found", message: "No such triage group." } } });
    const same = await call(klass.POST, "POST", fp.A, { errorClass: "site_changed", reason: "Still changed" });
    expect(same.status).toBe(409);

    expect(await database.db.select({ id: runs.id, errorClass: runs.errorClass }).from(runs).where(eq(runs.fingerprint, fp.A))).toEqual(before);
    expect(await database.db.select().from(bulkActions)).toHaveLength(0);
    expect(await database.db.select().from(auditLog)).toHaveLength(0);
  });

  it("moves the group to another lane while its fingerprint, and so its group id, stays", async () => {
    const moved = await call(klass.POST, "POST", fp.A, { errorClass: "portal_rejected", reason: "  The portal now wants the VIN without dashes  " });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ groupId: fp.A, errorClass: "portal_rejected", lane: "ops", reclassified: 3 });

    const rows = await database.db.select({ id: runs.id, errorClass: runs.errorClass, fingerprint: runs.fingerprint, failure: runs.failure, status: runs.status }).from(runs).where(inArray(runs.id, seeded.aRuns));
    for (const row of rows) {
      expect(row).toMatchObject({ errorClass: "portal_rejected", fingerprint: fp.A, status: "parked" });
      expect(row.failure).toMatchObject({ errorClass: "portal_rejected", fingerprint: fp.A });
    }
    // The run that was submitted since is not part of the group any more, and keeps its class.
    const outside = await database.db.select({ errorClass: runs.errorClass }).from(runs).where(and(eq(runs.fingerprint, fp.A), sql`${runs.id} not in (${sql.join(seeded.aRuns.map((id) => sql`${id}::uuid`), sql`, `)})`));
    expect(outside).toEqual([{ errorClass: "site_changed" }]);

    const view = (await getTriage()).body;
    expect(groupOf(view, fp.A)).toMatchObject({ groupId: fp.A, lane: "ops", errorClass: "portal_rejected", count: 3 });
    expect(view.lanes.find((l) => l.lane === "engineering")).toMatchObject({ groups: 0, runs: 0 });
    expect(view.lanes.find((l) => l.lane === "ops")).toMatchObject({ groups: 2, runs: 5 });

    const [bulk] = await database.db.select().from(bulkActions);
    expect(bulk).toMatchObject({ id: moved.body.bulkActionId, action: "group_class", selection: { fingerprint: fp.A }, results: { reclassified: 3 }, runCount: 3, actor: actorEmail("ops") });
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.bulkActionId, moved.body.bulkActionId as string));
    expect(audit.map((a) => a.runId).sort()).toEqual([...seeded.aRuns].sort());
    expect(audit[0]).toMatchObject({ actor: actorEmail("ops"), action: "override_class", details: { from: "site_changed", to: "portal_rejected", reason: "The portal now wants the VIN without dashes" } });
  });
});

describe("acknowledging a group", () => {
  it("refuses an empty note with a 400 and saves nothing", async () => {
    const empty = await call(ack.POST, "POST", fp.B, { note: "   " });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.error?.fields ?? {})).toEqual(["note"]);
    expect(await database.db.select().from(triageAcknowledgements)).toHaveLength(0);
    expect((await call(ack.POST, "POST", "0000000000000000", { note: "Looked" })).status).toBe(404);
    expect((await call(ack.POST, "POST", fp.E, { note: "Looked" })).status).toBe(409);
  });

  it("collapses an acknowledged group with its note, behind the open ones, until a failure is seen after it", async () => {
    const done = await call(ack.POST, "POST", fp.B, { note: "Borealis says serials registered before May are unknown to them; ops is asking." });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ groupId: fp.B, actor: actorEmail("ops") });
    expect(done.body.note).toMatch(/^Borealis says/);

    let view = (await getTriage("?lane=ops")).body;
    expect(view.groups.map((g) => g.groupId)).toEqual([fp.A, fp.B]);
    expect(groupOf(view, fp.B)!.acknowledgement).toMatchObject({ state: "acknowledged", newSince: 0, actor: actorEmail("ops") });
    expect(groupOf(view, fp.B)!.acknowledgement?.note).toMatch(/^Borealis says/);
    expect(view.lanes.find((l) => l.lane === "ops")).toMatchObject({ acknowledged: 1 });

    // A new failure with the same fingerprint, seen after the acknowledgement, reopens it.
    const fresh = await seedFail({ ...B, message: 'Serial "BX-99" is not registered', batchId: null, finishedAt: new Date(Date.now() + 2_000) });
    expect(fresh.fingerprint).toBe(fp.B);
    seeded.bCases.push(fresh.caseId);
    seeded.bRuns.push(fresh.runId);
    view = (await getTriage("?lane=ops")).body;
    expect(groupOf(view, fp.B)).toMatchObject({ count: 3, acknowledgement: { state: "new_since", newSince: 1 } });

    const cleared = await call(ack.DELETE, "DELETE", fp.B);
    expect(cleared.status).toBe(204);
    expect(await database.db.select().from(triageAcknowledgements)).toHaveLength(0);
    expect(groupOf((await getTriage("?lane=ops")).body, fp.B)!.acknowledgement).toBeNull();
    expect((await call(ack.DELETE, "DELETE", "0000000000000000")).status).toBe(404);
    const audit = await database.db.select({ action: auditLog.action, details: auditLog.details }).from(auditLog).where(inArray(auditLog.action, ["triage.acknowledge", "triage.unacknowledge"])).orderBy(auditLog.createdAt);
    expect(audit.map((a) => a.action)).toEqual(["triage.acknowledge", "triage.unacknowledge"]);
    expect(audit[0]?.details).toMatchObject({ fingerprint: fp.B });
  });
});

describe("POST /api/triage/groups/:groupId/retry", () => {
  it("re-queues every run of the group as one bulk action with an audit row per run, and skips cases already submitted", async () => {
    // The CRM said the first Borealis case was filed elsewhere meanwhile.
    await database.db.update(cases).set({ status: "submitted" }).where(eq(cases.id, seeded.bCases[0]!));
    const result = await call(retry.POST, "POST", fp.B);
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ groupId: fp.B, retried: 2, skipped: 1 });

    const fresh = await database.db.select({ id: runs.id, caseId: runs.caseId, status: runs.status, priority: runs.priority }).from(runs).where(and(inArray(runs.caseId, seeded.bCases), eq(runs.status, "queued")));
    expect(fresh.map((r) => r.caseId).sort()).toEqual(seeded.bCases.slice(1).sort());
    expect(fresh.every((r) => r.priority === PRIORITY.urgent)).toBe(true);
    // Each has its submit job, which the worker's per-portal slot gate paces.
    expect(await listJobs(database.db, { keys: fresh.map((r) => jobKeyForRun(r.id)) })).toHaveLength(2);

    const groupRetries = await database.db.select().from(bulkActions).where(eq(bulkActions.action, "group_retry"));
    expect(groupRetries).toHaveLength(1);
    expect(groupRetries[0]).toMatchObject({ id: result.body.bulkActionId, selection: { fingerprint: fp.B }, results: { retried: 2, skipped: 1 }, runCount: 3, actor: actorEmail("ops") });
    expect(groupRetries[0]!.name).toMatch(/^Retry 2 Borealis Machinery portal rejected runs/);
    const audit = await database.db.select({ runId: auditLog.runId, action: auditLog.action, actor: auditLog.actor }).from(auditLog).where(eq(auditLog.bulkActionId, result.body.bulkActionId as string));
    expect(audit.map((a) => a.runId).sort()).toEqual(seeded.bRuns.slice(1).sort());
    expect(audit.every((a) => a.action === "retry_run" && a.actor === actorEmail("ops"))).toBe(true);

    // The retried cases left triage, and so did the one submitted meanwhile: the group is gone.
    expect(groupOf((await getTriage()).body, fp.B)).toBeUndefined();
  });

  it("answers 409 and changes nothing when nothing in the group can be retried, 404 for an unknown group, 400 for a bad id", async () => {
    const before = await database.db.select({ id: runs.id }).from(runs);
    const again = await call(retry.POST, "POST", fp.B);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("conflict");
    expect((await call(retry.POST, "POST", fp.E)).status).toBe(409);
    expect(await call(retry.POST, "POST", "ffffffffffffffff")).toEqual({ status: 404, body: { error: { code: "not_found", message: "No such triage group." } } });
    const bad = await call(retry.POST, "POST", "FFFF");
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error?.fields ?? {})).toEqual(["groupId"]);
    expect(await database.db.select({ id: runs.id }).from(runs)).toHaveLength(before.length);
    expect(await database.db.select().from(bulkActions).where(eq(bulkActions.action, "group_retry"))).toHaveLength(1);
  });

  it("says what happened when nothing is left to triage, from the latest finished batch", async () => {
    // Everything still open is retried: the groups empty out.
    for (const f of [fp.A, fp.C, fp.D]) expect((await call(retry.POST, "POST", f)).status).toBe(201);
    await database.db.update(runs).set({ status: "submitted" }).where(and(isNotNull(runs.fingerprint), inArray(runs.caseId, [seeded.bCases[0]!])));
    const { body } = await getTriage();
    expect(body.groups).toEqual([]);
    expect(body.total).toEqual({ groups: 0, runs: 0 });
    expect(body.empty).toMatchObject({ lastBatch: { id: seeded.batch2, trigger: "cron" } });
    expect(body.empty?.sentence).toMatch(/^Nothing to triage: \d+ of \d+ cases from last night were submitted/);
  });
});
