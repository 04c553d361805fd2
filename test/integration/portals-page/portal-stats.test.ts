import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as PauseRoute from "@/app/api/portals/[oem]/pause/route";
import type * as ResumeRoute from "@/app/api/portals/[oem]/resume/route";
import type * as PortalsRoute from "@/app/api/portals/route";
import { alerts, attempts, auditLog, cases, oems, portalSessions, runs } from "@/drizzle/schema";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { saveRecipe } from "@/lib/batches/recipe-store";
import { getSharedDatabase } from "@/lib/db/shared";
import type { AttemptStatus, ErrorClass, RunStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { getPortalStats } from "@/lib/portals/portal-stats";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";

// The injected clock: every attempt below is an offset from it.
const NOW = new Date("2026-12-02T12:00:00.000Z");
const ago = (hours: number, plusSeconds = 0) => new Date(NOW.getTime() - hours * 3_600_000 + plusSeconds * 1000);

let database: TestDatabase;
let pauseRoute: typeof PauseRoute;
let resumeRoute: typeof ResumeRoute;
let portalsRoute: typeof PortalsRoute;
let caseCounter = 0;
let newestFailureCaseId: string;

async function insertRun(oemId: string, status: RunStatus, extra: Partial<typeof runs.$inferInsert> = {}): Promise<{ runId: string; caseId: string }> {
  caseCounter += 1;
  const [c] = await database.db
    .insert(cases)
    .values({ crmId: `CRM-${caseCounter}`, reference: `NS-2026-${String(caseCounter).padStart(4, "0")}`, oemId, kind: "warranty_claim", crmStatus: "new", status: "submitted" })
    .returning({ id: cases.id });
  const [r] = await database.db.insert(runs).values({ caseId: c!.id, status, createdAt: ago(200), ...extra }).returning({ id: runs.id });
  return { runId: r!.id, caseId: c!.id };
}

/** One attempt that started `hoursAgo` and took `seconds`. */
async function insertAttempt(runId: string, number: number, status: AttemptStatus, hoursAgo: number, seconds: number, errorClass: ErrorClass | null = null) {
  await database.db.insert(attempts).values({ runId, number, status, errorClass, startedAt: ago(hoursAgo), finishedAt: status === "running" ? null : ago(hoursAgo, seconds) });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: { arden: "http://127.0.0.1:4010/arden/" } });
  await database.db.update(oems).set({ pausedAt: ago(1), pausedReason: "Credentials refused" }).where(eq(oems.id, "borealis"));
  await saveRecipe(database.db, { recipe: { ...DEFAULT_RECIPE, defaultPortalConcurrency: 2, portalConcurrency: { arden: 3 } }, author: "ops-ana", note: "Arden takes three" });

  // Arden — last 24 h: 1 s, 2 s, 3 s succeeded, 10 s failed (site changed), one interrupted (not counted).
  const a = await insertRun("arden", "submitted");
  await insertAttempt(a.runId, 1, "succeeded", 2, 1);
  await insertAttempt(a.runId, 2, "succeeded", 3, 2);
  await insertAttempt(a.runId, 3, "succeeded", 4, 3);
  await insertAttempt(a.runId, 4, "failed", 5, 10, "site_changed");
  await insertAttempt(a.runId, 5, "interrupted", 6, 50, "infra");
  // …1–7 days ago: four 4 s successes and a 5 s site flake; older than a week: ignored.
  for (let i = 0; i < 4; i++) await insertAttempt(a.runId, 10 + i, "succeeded", 30 + i, 4);
  await insertAttempt(a.runId, 20, "failed", 100, 5, "site_flake");
  for (let i = 0; i < 5; i++) await insertAttempt(a.runId, 30 + i, "failed", 24 * 8 + i, 60, "site_changed");

  // Corvid: one failed attempt yesterday afternoon, nothing else.
  const c = await insertRun("corvid", "failed", { errorClass: "site_flake", finishedAt: ago(20) });
  await insertAttempt(c.runId, 1, "failed", 20, 7, "site_flake");

  // Arden's terminal fails: an old one, the newest (its reason is what the page shows), and one from another OEM.
  await insertRun("arden", "needs_review", { errorClass: "portal_rejected", finishedAt: ago(72), failure: failure("The portal refused the VIN.") });
  const newest = await insertRun("arden", "parked", { errorClass: "site_changed", finishedAt: ago(2), failure: failure("The claim form has a field Nightshift does not know.") });
  newestFailureCaseId = newest.caseId;

  // Sessions now: Arden holds one filing and one idle signed-in session.
  await database.db.insert(portalSessions).values([
    { oemId: "arden", slot: 0, workerId: "w-1", runId: a.runId },
    { oemId: "arden", slot: 1, workerId: "w-1", runId: null },
  ]);

  process.env.DATABASE_URL = database.url;
  pauseRoute = await import("@/app/api/portals/[oem]/pause/route");
  resumeRoute = await import("@/app/api/portals/[oem]/resume/route");
  portalsRoute = await import("@/app/api/portals/route");
  signedIn = await actorHeaders("ops");
});

afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

function failure(reason: string) {
  return {
    reason,
    errorClass: "site_changed" as const,
    code: "x",
    lastGoodStep: null,
    failingStep: null,
    attempts: [],
    evidence: { screenshot: null, dom: null, trace: null },
    portalUrl: null,
    fingerprint: `fp-${reason.length}`,
    nextAction: "Engineering looks at it.",
  };
}

describe("getPortalStats", () => {
  it("gives each portal its attempt-based success and p95 over 24 h and 7 days, leaving interrupted attempts out", async () => {
    const stats = await getPortalStats(database.db, { now: NOW });
    expect(stats.portals.map((p) => p.id)).toEqual(["arden", "borealis", "corvid"]);
    const [arden, borealis, corvid] = stats.portals;
    // 24 h: 3 of 4; p95 of 1, 2, 3, 10 s (linear interpolation) = 8.95 s.
    expect(arden!.day).toEqual({ succeeded: 3, failed: 1, successRate: 0.75, p95Ms: 8_950 });
    // 7 days: 7 of 9; p95 of 1, 2, 3, 4, 4, 4, 4, 5, 10 s = 8 s.
    expect(arden!.week).toMatchObject({ succeeded: 7, failed: 2, p95Ms: 8_000 });
    expect(arden!.week.successRate).toBeCloseTo(7 / 9, 10);
    expect(arden!.siteChangedWeek).toBe(1);
    expect(borealis!.day).toEqual({ succeeded: 0, failed: 0, successRate: null, p95Ms: null });
    expect(corvid!.day).toEqual({ succeeded: 0, failed: 1, successRate: 0, p95Ms: 7_000 });
  });

  it("shows the newest terminal fail with its reason, the saved recipe's limits, sessions in use and the paused state", async () => {
    const stats = await getPortalStats(database.db, { now: NOW });
    expect(stats.recipeVersion).toBe(1);
    const [arden, borealis, corvid] = stats.portals;
    expect(arden!.lastFailure).toMatchObject({ caseId: newestFailureCaseId, status: "parked", errorClass: "site_changed", reason: "The claim form has a field Nightshift does not know.", finishedAt: ago(2) });
    expect(arden).toMatchObject({ limit: 3, limitSource: "portal", sessions: { inUse: 2, filing: 1, idle: 1 }, portalUrl: "http://127.0.0.1:4010/arden/", pausedAt: null });
    expect(borealis).toMatchObject({ limit: 2, limitSource: "default", sessions: { inUse: 0, filing: 0, idle: 0 }, pausedReason: "Credentials refused", lastFailure: null });
    expect(borealis!.pausedAt).toEqual(ago(1));
    expect(corvid!.lastFailure).toMatchObject({ status: "failed", reason: null });
  });

  it("answers the same over GET /api/portals", async () => {
    const response = await portalsRoute.GET(new Request("http://127.0.0.1:3000/api/portals", { headers: signedIn }), {});
    expect(response.status).toBe(200);
    const body = (await response.json()) as { portals: Array<{ id: string; limit: number; sessions: { inUse: number } }> };
    expect(body.portals.map((p) => [p.id, p.limit, p.sessions.inUse])).toEqual([
      ["arden", 3, 2],
      ["borealis", 2, 0],
      ["corvid", 2, 0],
    ]);
  });
});

let signedIn: Record<string, string> = {};
const ORIGIN = "http://127.0.0.1:3000";
const post = (route: typeof PauseRoute | typeof ResumeRoute, oem: string, body: string | undefined, headers: Record<string, string> = {}) =>
  route.POST(
    new Request(`${ORIGIN}/api/portals/${oem}/x`, { method: "POST", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: ORIGIN, ...signedIn, ...headers }, body }),
    { params: Promise.resolve({ oem }) },
  );
const audits = () => database.db.select({ actor: auditLog.actor, action: auditLog.action, oemId: auditLog.oemId, details: auditLog.details }).from(auditLog).orderBy(auditLog.createdAt);
const corvid = async () => (await database.db.select({ pausedAt: oems.pausedAt, pausedReason: oems.pausedReason }).from(oems).where(eq(oems.id, "corvid")))[0]!;

describe("POST /api/portals/:oem/pause and /resume", () => {
  it("refuses bad input with a 400 naming the field, an unknown portal with 404, a cross-site call with 403, and changes nothing", async () => {
    for (const body of [JSON.stringify({}), JSON.stringify({ reason: "   " }), JSON.stringify({ reason: "x".repeat(301) }), JSON.stringify({ reason: "ok", until: "never" })]) {
      const response = await post(pauseRoute, "corvid", body);
      expect(response.status, body).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; fields?: Record<string, string[]> } };
      expect(error.code).toBe("bad_request");
      expect(Object.keys(error.fields ?? {}).length).toBeGreaterThan(0);
    }
    const missing = (await (await post(pauseRoute, "corvid", JSON.stringify({}))).json()) as { error: { fields: Record<string, string[]> } };
    expect(missing.error.fields.reason).toEqual(["Say why the portal is paused"]);
    expect((await post(pauseRoute, "corvid", "{not json")).status).toBe(400);
    expect((await post(pauseRoute, "nowhere", JSON.stringify({ reason: "maintenance" }))).status).toBe(404);
    expect((await post(pauseRoute, "corvid", JSON.stringify({ reason: "maintenance" }), { origin: "https://evil.example" })).status).toBe(403);

    expect(await corvid()).toEqual({ pausedAt: null, pausedReason: null });
    expect(await audits()).toEqual([{ actor: "ops-ana", action: "recipe.save", oemId: null, details: expect.any(Object) as unknown }]);
  });

  it("pauses a portal with the reason, raises a warning the overview shows, and audits it; a second pause is a 409", async () => {
    const response = await post(pauseRoute, "corvid", JSON.stringify({ reason: "  Portal maintenance tonight " }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    const paused = await corvid();
    expect(paused.pausedReason).toBe("Portal maintenance tonight");
    expect(paused.pausedAt).toBeInstanceOf(Date);
    const [alert] = await database.db.select().from(alerts).where(and(eq(alerts.oemId, "corvid"), eq(alerts.kind, "portal_paused")));
    expect(alert).toMatchObject({ severity: "warning", message: "Corvid Instruments: submissions paused by ops@nightshift.test — Portal maintenance tonight", resolvedAt: null });

    const again = await post(pauseRoute, "corvid", JSON.stringify({ reason: "again" }));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("conflict");
    expect((await corvid()).pausedReason).toBe("Portal maintenance tonight");
    expect((await audits()).filter((a) => a.action === "pause_portal")).toEqual([{ actor: actorEmail("ops"), action: "pause_portal", oemId: "corvid", details: { reason: "Portal maintenance tonight" } }]);
  });

  it("resumes it (the alert resolved, audited); resuming a portal that is not paused is a 409", async () => {
    const response = await post(resumeRoute, "corvid", undefined);
    expect(response.status).toBe(200);
    expect(await corvid()).toEqual({ pausedAt: null, pausedReason: null });
    const open = await database.db.select({ n: sql<number>`count(*)::int` }).from(alerts).where(and(eq(alerts.oemId, "corvid"), sql`${alerts.resolvedAt} is null`));
    expect(open[0]!.n).toBe(0);
    expect((await audits()).map((a) => [a.action, a.oemId])).toEqual([
      ["recipe.save", null],
      ["pause_portal", "corvid"],
      ["resume_portal", "corvid"],
    ]);
    expect((await post(resumeRoute, "corvid", undefined)).status).toBe(409);
    const stats = await getPortalStats(database.db, { now: NOW });
    expect(stats.portals.find((p) => p.id === "corvid")!.pausedAt).toBeNull();
  });
});
