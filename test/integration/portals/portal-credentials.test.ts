import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as CredentialsRoute from "@/app/api/portals/[oem]/credentials/route";
import type * as PortalsRoute from "@/app/api/portals/route";
import { auditLog, oems, portalCredentials, runs } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { getSharedDatabase } from "@/lib/db/shared";
import { syncOems } from "@/lib/oems/catalog";
import type { PortalStats } from "@/lib/portals/portal-stats";
import { resealPortalCredentials, resolvePortalCredentials, setPortalCredentials } from "@/lib/portals/credentials";
import { parseSecretKey } from "@/lib/secrets/secret-key";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Role } from "@/lib/auth/roles";
import type { WorkerHandle } from "@/jobs/worker";
import type { Sandbox } from "../../../sandbox/server";
import { actorEmail, actorHeaders } from "../../support/actor-headers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startTestWorker, testIntegrations } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";

// The sandbox's Arden account starts with the environment's default password; tests rotate it.
const STORED = "stored-Pw-3c9d-Arden";
const ROTATED = "rotated-Pw-8e21-Arden";
const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

let database: TestDatabase;
let sandbox: Sandbox;
let route: typeof CredentialsRoute;
let portalsRoute: typeof PortalsRoute;
const signedIn: Partial<Record<Role, Record<string, string>>> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  // The routes read their database and the sandbox through the web process's environment, as under `npm start`.
  process.env.DATABASE_URL = database.url;
  process.env.SANDBOX_PORT = String(sandbox.port);
  route = await import("@/app/api/portals/[oem]/credentials/route");
  portalsRoute = await import("@/app/api/portals/route");
  for (const role of ["viewer", "ops", "admin"] as const) signedIn[role] = await actorHeaders(role);
});
afterAll(async () => {
  const deps = (globalThis as { nightshiftWebDeps?: { queue?: Promise<{ release(): Promise<void> }> } }).nightshiftWebDeps;
  await (await deps?.queue?.catch(() => undefined))?.release();
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await getSharedDatabase().close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
  await sandbox?.close();
  await database?.destroy();
});

const ORIGIN = "http://127.0.0.1:3000";
const credentialsUrl = (oem: string) => `${ORIGIN}/api/portals/${oem}/credentials`;
async function put(body: unknown, options: { as?: Role; oem?: string } = {}) {
  const oem = options.oem ?? "arden";
  const response = await route.PUT(
    new Request(credentialsUrl(oem), { method: "PUT", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: ORIGIN, ...signedIn[options.as ?? "admin"] }, body: JSON.stringify(body) }),
    { params: Promise.resolve({ oem }) },
  );
  return { status: response.status, text: await response.text() };
}
async function remove(options: { as?: Role; oem?: string } = {}) {
  const oem = options.oem ?? "arden";
  const response = await route.DELETE(new Request(credentialsUrl(oem), { method: "DELETE", headers: { host: "127.0.0.1:3000", origin: ORIGIN, ...signedIn[options.as ?? "admin"] } }), { params: Promise.resolve({ oem }) });
  return { status: response.status, text: await response.text() };
}
async function portalsAnswer(as: Role = "viewer") {
  const response = await portalsRoute.GET(new Request(`${ORIGIN}/api/portals`, { headers: signedIn[as] }), {});
  const text = await response.text();
  return { text, body: JSON.parse(text) as PortalStats };
}
const ardenOf = async () => (await portalsAnswer()).body.portals.find((p) => p.id === "arden")!;

async function newRun(): Promise<{ runId: string; caseId: string }> {
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
  const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
  const run = await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 3 });
  return { runId: run!.runId, caseId: stored.id };
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
/** The newest run of a case once it has settled (a re-queued run replaces the failed one). */
async function settleCase(caseId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const all = await database.db.select().from(runs).where(eq(runs.caseId, caseId)).orderBy(asc(runs.createdAt));
    const newest = all.at(-1);
    if (newest && !["queued", "running", "retry_scheduled"].includes(newest.status)) return { newest, count: all.length };
    if (Date.now() > deadline) throw new Error("case did not settle");
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
const ardenSessions = async () => (await admin<{ portals: Record<string, { active: number; logins: number }> }>(sandbox, "GET", "/admin/portals/sessions")).body.portals.arden!;
const pausedAt = async () => (await database.db.select({ pausedAt: oems.pausedAt }).from(oems).where(eq(oems.id, "arden")))[0]!.pausedAt;

let worker: WorkerHandle | undefined;
const startWorker = async () => {
  worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN }), concurrency: 1 });
};
afterAll(async () => {
  await worker?.stop();
});

describe("portal credentials", () => {
  it("refuses non-admins and bad input with readable errors, and changes nothing", async () => {
    for (const role of ["viewer", "ops"] as const) {
      const refused = await put({ username: "nightshift", password: STORED }, { as: role });
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain(STORED);
    }
    const missing = await put({ username: " ", password: "" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Enter the portal username");
    expect(missing.text).toContain("Enter the portal password");
    const badSecret = await put({ username: "nightshift", password: STORED, totpSecret: "not-a-secret!" });
    expect(badSecret.status).toBe(400);
    expect(badSecret.text).toContain("base32");
    expect(badSecret.text).not.toContain(STORED);
    expect((await put({ username: "nightshift", password: STORED, extra: 1 })).status).toBe(400);
    expect((await put({ username: "nightshift", password: STORED }, { oem: "nowhere" })).status).toBe(404);
    expect((await remove()).status).toBe(409);
    expect(await database.db.select().from(portalCredentials)).toEqual([]);
    expect(await database.db.select().from(auditLog).where(eq(auditLog.action, "set_portal_credentials"))).toEqual([]);
    // Before anything is stored, the sandbox accounts of the environment apply.
    expect((await ardenOf()).credentials).toEqual({ source: "environment", setAt: null, setBy: null, hasTotp: false });
  });

  it("files with the stored credentials (they win over the environment's), shows only who set them and when, and never echoes them", async () => {
    await admin(sandbox, "PUT", "/admin/portals/arden/account", { password: STORED });
    const saved = await put({ username: "nightshift", password: STORED });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain(STORED);
    const answer = JSON.parse(saved.text) as { credentials: { source: string; setBy: string; setAt: string }; resumed: boolean; requeued: number };
    expect(answer).toMatchObject({ credentials: { source: "stored", setBy: actorEmail("admin"), hasTotp: false }, resumed: false, requeued: 0 });

    const [row] = await database.db.select().from(portalCredentials);
    expect(row!.sealed).not.toContain(STORED);
    expect(row!.updatedBy).toBe(actorEmail("admin"));
    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.action, "set_portal_credentials"));
    expect(audit).toMatchObject({ actor: actorEmail("admin"), oemId: "arden", details: { rotated: false, hasTotp: false } });
    expect(JSON.stringify(audit)).not.toContain(STORED);

    const portals = await portalsAnswer();
    expect(portals.text).not.toContain(STORED);
    expect(portals.body.portals.find((p) => p.id === "arden")!.credentials).toEqual({ source: "stored", setAt: answer.credentials.setAt, setBy: actorEmail("admin"), hasTotp: false });

    // The environment still has the old sandbox password: only the stored one signs in now.
    await startWorker();
    const { runId } = await newRun();
    expect(await settle(runId)).toMatchObject({ status: "submitted", attemptCount: 1 });
  });

  it("drops a kept signed-in session when the credentials are rotated, instead of reusing it", async () => {
    await until(async () => (await ardenSessions()).active === 1); // kept for reuse after the filing
    const loginsBefore = (await ardenSessions()).logins;
    // Rotate to a password the portal does not know: a reused old session would still file.
    expect((await put({ username: "nightshift", password: "not-the-portal-password" })).status).toBe(200);
    await until(async () => (await ardenSessions()).active === 0);
    const { runId, caseId } = await newRun();
    expect(await settle(runId)).toMatchObject({ status: "failed", errorClass: "auth", errorCode: "login_refused" });
    expect((await ardenSessions()).logins).toBe(loginsBefore);
    expect(await pausedAt()).toBeInstanceOf(Date);
    // Put the right one back and resume in the same action: the refused run is re-queued and files.
    const saved = await put({ username: "nightshift", password: STORED, resume: true });
    expect(JSON.parse(saved.text)).toMatchObject({ resumed: true, requeued: 1 });
    expect((await settleCase(caseId)).newest.status).toBe("submitted");
    expect(await pausedAt()).toBeNull();
  });

  it("after a password change on the portal: runs fail auth, the portal pauses, and saving the new credentials with resume re-queues them", async () => {
    await admin(sandbox, "PUT", "/admin/portals/arden/account", { password: ROTATED });
    const refused = await newRun();
    expect(await settle(refused.runId)).toMatchObject({ status: "failed", errorClass: "auth" });
    expect(await pausedAt()).toBeInstanceOf(Date);
    const waiting = await newRun();
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, waiting.runId)))[0]?.status).toBe("queued");
    expect(await ardenOf()).toMatchObject({ pausedForAuth: true, authFailedRuns: 1 });

    // Resuming a portal paused by hand is not this action's business; here it is paused for auth.
    const saved = await put({ username: "nightshift", password: ROTATED, resume: true });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain(ROTATED);
    expect(JSON.parse(saved.text)).toMatchObject({ credentials: { source: "stored" }, resumed: true, requeued: 1 });
    expect((await settleCase(refused.caseId)).newest.status).toBe("submitted");
    expect((await settle(waiting.runId)).status).toBe("submitted");
    expect(await ardenOf()).toMatchObject({ pausedAt: null, pausedForAuth: false });
    const actions = await database.db.select({ action: auditLog.action, actor: auditLog.actor }).from(auditLog).where(and(eq(auditLog.actor, actorEmail("admin")))).orderBy(asc(auditLog.createdAt));
    expect(actions.slice(-3)).toEqual([
      { action: "set_portal_credentials", actor: actorEmail("admin") },
      { action: "resume_portal", actor: actorEmail("admin") },
      { action: "retry_run", actor: actorEmail("admin") },
    ]);
  });

  it("refuses resume for a portal paused by hand, saving nothing", async () => {
    await database.db.update(oems).set({ pausedAt: new Date(), pausedReason: "Maintenance tonight" }).where(eq(oems.id, "arden"));
    const before = await database.db.select().from(portalCredentials);
    const refused = await put({ username: "nightshift", password: "another-one", resume: true });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("paused by hand");
    expect(await database.db.select().from(portalCredentials)).toEqual(before);
    await database.db.update(oems).set({ pausedAt: null, pausedReason: null }).where(eq(oems.id, "arden"));
  });

  it("answers the portal's one-time-code step from the stored TOTP secret, and fails auth without one", async () => {
    await admin(sandbox, "PUT", "/admin/portals/arden/account", { totpSecret: TOTP_SECRET });
    const { runId, caseId } = await newRun();
    const failed = await settle(runId);
    expect(failed).toMatchObject({ status: "failed", errorClass: "auth", errorCode: "totp_missing" });
    expect((failed.failure as { reason: string }).reason).toMatch(/one-time code/);

    const saved = await put({ username: "nightshift", password: ROTATED, totpSecret: TOTP_SECRET.toLowerCase().replace(/(.{4})/g, "$1 "), resume: true });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain(TOTP_SECRET);
    expect(JSON.parse(saved.text)).toMatchObject({ credentials: { hasTotp: true }, resumed: true, requeued: 1 });
    expect((await settleCase(caseId)).newest.status).toBe("submitted");
    expect((await ardenOf()).credentials.hasTotp).toBe(true);
  });

  it("removes stored credentials: the environment's apply again", async () => {
    const removed = await remove();
    expect(removed.status).toBe(200);
    expect(JSON.parse(removed.text)).toEqual({ credentials: { source: "environment", setAt: null, setBy: null, hasTotp: false } });
    expect(await database.db.select().from(portalCredentials)).toEqual([]);
    expect((await database.db.select().from(auditLog).where(eq(auditLog.action, "clear_portal_credentials"))).map((a) => a.actor)).toEqual([actorEmail("admin")]);
    expect((await remove({ as: "ops" })).status).toBe(403);
  });

  it("re-seals every stored credential with a new key during a rotation (npm run secrets -- rotate), and says which no key opens", async () => {
    const oldKey = parseSecretKey(randomBytes(32).toString("base64"));
    const newKey = parseSecretKey(randomBytes(32).toString("base64"));
    await setPortalCredentials(database.db, { current: oldKey, previous: [] }, { oemId: "borealis", input: { username: "u", password: "rotate-me" }, actor: "test" });
    await setPortalCredentials(database.db, { current: parseSecretKey(randomBytes(32).toString("base64")), previous: [] }, { oemId: "corvid", input: { username: "u", password: "lost" }, actor: "test" });
    const report = await resealPortalCredentials(database.db, { keys: { current: newKey, previous: [oldKey] }, actor: "cli:test" });
    expect(report.resealed).toEqual(["borealis"]);
    expect(report.failed.map((f) => f.oemId)).toEqual(["corvid"]);
    expect(report.failed[0]!.reason).toContain("NIGHTSHIFT_SECRET_KEY_PREVIOUS");
    // The old key can go: the new one alone opens it.
    const opened = await resolvePortalCredentials(database.db, { oemId: "borealis", keys: { current: newKey, previous: [] }, fallback: null });
    expect(opened).toMatchObject({ ok: true, source: "stored", credentials: { username: "u", password: "rotate-me" } });
    expect(await resolvePortalCredentials(database.db, { oemId: "corvid", keys: { current: newKey, previous: [] }, fallback: { username: "env", password: "env" } })).toMatchObject({ ok: false, code: "credentials_unreadable" });
    expect((await resealPortalCredentials(database.db, { keys: { current: newKey, previous: [] }, actor: "cli:test" })).alreadyCurrent).toEqual(["borealis"]);
    const [row] = await database.db.select().from(portalCredentials).where(eq(portalCredentials.oemId, "borealis"));
    expect(row).toMatchObject({ keyId: newKey.id, updatedBy: "test" });
    expect(await database.db.select({ actor: auditLog.actor }).from(auditLog).where(eq(auditLog.action, "reseal_portal_credentials"))).toEqual([{ actor: "cli:test" }]);
  });
});
