import { createHmac, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { oems, sessions, users } from "@/drizzle/schema";
import type * as PauseRoute from "@/app/api/portals/[oem]/pause/route";
import type * as AuthRoute from "@/app/api/auth/[...all]/route";
import { AUTH_COOKIE_PREFIX } from "@/lib/auth/auth";
import type { Role } from "@/lib/auth/roles";
import { createLocalUser, setUserDisabled, setUserRole } from "@/lib/auth/users";
import { getEnv } from "@/lib/config/env";
import { getSharedDatabase } from "@/lib/db/shared";
import { NO_ORIGIN_MESSAGE } from "@/lib/http/same-origin";
import { syncOems } from "@/lib/oems/catalog";
import { deriveKey, resolveSecretKeys } from "@/lib/secrets/secret-key";
import { getAuth } from "@/lib/server/web-auth";
import { TEST_PASSWORD } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { changedTables, snapshotState, type StateSnapshot } from "@/test/support/state-snapshot";

// Sessions that must not work, against the real route wrapper, better-auth and Postgres. The
// probe is an ops action with a real effect (pausing a portal), so a session let through by
// mistake would show up as a changed row.
const ORIGIN = "http://127.0.0.1:3000";
const SESSION_COOKIE = `${AUTH_COOKIE_PREFIX}.session_token`;
const PAUSE_URL = `${ORIGIN}/api/portals/arden/pause`;

let database: TestDatabase;
let pause: typeof PauseRoute;
let authRoute: typeof AuthRoute;
let people = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.PORT = "3000";
  process.env.LOG_LEVEL = "silent";
  await syncOems(database.db, { portalUrls: { arden: "http://127.0.0.1:4010/arden/" } });
  pause = await import("@/app/api/portals/[oem]/pause/route");
  authRoute = await import("@/app/api/auth/[...all]/route");
});

afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

/** A new local person with `role`, signed in: their id, email and session cookie header. */
async function person(role: Role) {
  const email = `person-${++people}-${role}@nightshift.test`;
  const created = await createLocalUser(database.db, getAuth(), { email, name: `Person ${people}`, role, password: TEST_PASSWORD }, "test-setup");
  return { id: created.id, email, cookie: await signIn(email) };
}

async function signIn(email: string): Promise<string> {
  const answer = await authRoute.POST(
    new Request(`${ORIGIN}/api/auth/sign-in/email`, { method: "POST", headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json" }, body: JSON.stringify({ email, password: TEST_PASSWORD }) }),
  );
  if (!answer.ok) throw new Error(`signing in ${email} failed: ${answer.status} ${await answer.text()}`);
  return answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** The session token inside a signed cookie header ("nightshift.session_token=<token>.<signature>"). */
function tokenOf(cookie: string): string {
  const value = decodeURIComponent(cookie.split("; ").find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.slice(SESSION_COOKIE.length + 1));
  return value.slice(0, value.lastIndexOf("."));
}

/** A session cookie for `token` signed the way better-call signs cookies (HMAC-SHA256, base64), with `secret`. */
function signedCookie(token: string, secret: string): string {
  const signature = createHmac("sha256", Buffer.from(secret, "utf8")).update(token).digest("base64");
  return `${SESSION_COOKIE}=${encodeURIComponent(`${token}.${signature}`)}`;
}

const pauseRequest = (headers: Record<string, string>, reason = "Portal maintenance tonight") =>
  new Request(PAUSE_URL, { method: "POST", headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json", ...headers }, body: JSON.stringify({ reason }) });

async function send(request: Request) {
  const response = await pause.POST(request, { params: Promise.resolve({ oem: "arden" }) });
  return { status: response.status, body: (await response.json()) as { ok?: boolean; error?: { code: string; message: string } } };
}

let before: StateSnapshot;
beforeEach(async () => {
  // Each test starts with the portal running, so an ops pause let through would answer 200 and change rows.
  await database.db.update(oems).set({ pausedAt: null, pausedReason: null });
  before = await snapshotState(database.sql);
});
/** Nothing changed since the test's start, apart from what the test itself set up (sign-ins, the rows it edited). */
async function expectNothingChanged(except: string[] = []) {
  const changed = changedTables(before, await snapshotState(database.sql)).filter((table) => !except.includes(table));
  expect(changed, "a refused request changed these tables").toEqual([]);
}
const SETUP_TABLES = ["public.users", "public.accounts", "public.sessions", "public.audit_log"];

describe("sessions that must not work", () => {
  it("the probe itself works for a real ops session (so each refusal below means something)", async () => {
    const ops = await person("ops");
    expect(await send(pauseRequest({ cookie: ops.cookie }))).toEqual({ status: 200, body: { ok: true } });
    expect(changedTables(before, await snapshotState(database.sql))).toEqual(expect.arrayContaining(["public.oems", "public.audit_log"]));
  });

  it("refuses a forged session cookie (made-up token, a real token unsigned or with a made-up signature) with 401, changing nothing", async () => {
    const ops = await person("ops");
    const snapshot = await snapshotState(database.sql);
    const madeUp = `${SESSION_COOKIE}=${encodeURIComponent(`${randomBytes(24).toString("base64url")}.${randomBytes(32).toString("base64")}`)}`;
    expect(await send(pauseRequest({ cookie: madeUp }))).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "Sign in to do this." } } });
    expect((await send(pauseRequest({ cookie: `${SESSION_COOKIE}=${tokenOf(ops.cookie)}` }))).status).toBe(401);
    expect((await send(pauseRequest({ cookie: `${SESSION_COOKIE}=${encodeURIComponent(`${tokenOf(ops.cookie)}.${randomBytes(32).toString("base64")}`)}` }))).status).toBe(401);
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);
  });

  it("refuses a real session token signed with another secret, and accepts it signed with ours", async () => {
    const ops = await person("ops");
    const token = tokenOf(ops.cookie);
    const snapshot = await snapshotState(database.sql);
    expect((await send(pauseRequest({ cookie: signedCookie(token, randomBytes(32).toString("base64")) }))).status).toBe(401);
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);
    // The control: the same construction with the app's own secret is a valid cookie, so the 401 above is the signature's doing.
    const ours = deriveKey(resolveSecretKeys(getEnv()).current, "sessions").toString("base64");
    expect((await send(pauseRequest({ cookie: signedCookie(token, ours) }, "Control: our own signature"))).status).toBe(200);
  });

  it("refuses an expired session (expires_at in the past) with 401, changing nothing", async () => {
    const ops = await person("ops");
    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(sessions.userId, ops.id));
    const snapshot = await snapshotState(database.sql);
    expect(await send(pauseRequest({ cookie: ops.cookie }))).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "Sign in to do this." } } });
    // better-auth may delete the expired row; nothing else may change.
    expect(changedTables(snapshot, await snapshotState(database.sql)).filter((t) => t !== "public.sessions")).toEqual([]);
    await expectNothingChanged(SETUP_TABLES);
  });

  it("refuses the live session of a disabled person, and their next sign-in, changing nothing", async () => {
    const ops = await person("ops");
    // Disabled behind the app's back (the session row left in place): the session check itself must refuse it.
    await database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, ops.id));
    const snapshot = await snapshotState(database.sql);
    expect((await send(pauseRequest({ cookie: ops.cookie }))).status).toBe(401);
    await expect(signIn(ops.email)).rejects.toThrow(/403 .*This account is disabled/);
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);

    // Disabled the normal way (an admin): the sessions are gone at once.
    const other = await person("ops");
    await setUserDisabled(database.db, other.id, true, "admin@nightshift.test");
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, other.id))).toEqual([]);
    expect((await send(pauseRequest({ cookie: other.cookie }))).status).toBe(401);
    await expectNothingChanged(SETUP_TABLES);
  });

  it("refuses a signed-in change from another site, or without an Origin, with 403, changing nothing", async () => {
    const ops = await person("ops");
    const snapshot = await snapshotState(database.sql);
    const crossSite = { status: 403, body: { error: { code: "forbidden", message: "Cross-site requests are not allowed." } } };
    expect(await send(pauseRequest({ cookie: ops.cookie, origin: "https://evil.example" }))).toEqual(crossSite);
    expect(await send(pauseRequest({ cookie: ops.cookie, origin: "http://127.0.0.1:3000.evil.example" }))).toEqual(crossSite);
    expect(await send(pauseRequest({ cookie: ops.cookie, origin: "null" }))).toEqual(crossSite);
    const noOrigin = (headers: Record<string, string>) => {
      const request = pauseRequest({ cookie: ops.cookie, ...headers });
      const stripped = new Headers(request.headers);
      stripped.delete("origin");
      return new Request(request, { headers: stripped });
    };
    expect(await send(noOrigin({ "sec-fetch-site": "cross-site" }))).toEqual(crossSite);
    expect(await send(noOrigin({ "sec-fetch-site": "same-site" }))).toEqual(crossSite);
    expect(await send(noOrigin({}))).toEqual({ status: 403, body: { error: { code: "forbidden", message: NO_ORIGIN_MESSAGE } } });
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);
  });

  it("refuses a viewer replaying a request captured from ops with the viewer's own cookie (403), and ops' cookie once ops signed out (401)", async () => {
    const ops = await person("ops");
    const viewer = await person("viewer");
    const captured = pauseRequest({ cookie: ops.cookie }, "Captured from ops");
    const replayed = new Request(captured.clone(), { headers: { ...Object.fromEntries(captured.headers), cookie: viewer.cookie } });
    const snapshot = await snapshotState(database.sql);
    expect(await send(replayed)).toEqual({ status: 403, body: { error: { code: "forbidden", message: "This needs the ops role." } } });
    // Both cookies at once: the viewer's session is the one that counts, never a mix.
    const mixed = new Request(captured.clone(), { headers: { ...Object.fromEntries(captured.headers), cookie: `${viewer.cookie}; ${ops.cookie}` } });
    expect([401, 403]).toContain((await send(mixed)).status);
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);

    const signOut = await authRoute.POST(new Request(`${ORIGIN}/api/auth/sign-out`, { method: "POST", headers: { host: "127.0.0.1:3000", origin: ORIGIN, cookie: ops.cookie } }));
    expect(signOut.status).toBe(200);
    const afterSignOut = await snapshotState(database.sql);
    expect((await send(captured)).status).toBe(401);
    expect(changedTables(afterSignOut, await snapshotState(database.sql))).toEqual([]);
  });
});

describe("a role change counts at the next request (no cookie cache)", () => {
  it("a viewer made ops may pause with the same cookie, and ops made viewer may not", async () => {
    const someone = await person("viewer");
    expect((await send(pauseRequest({ cookie: someone.cookie }))).status).toBe(403);
    await setUserRole(database.db, someone.id, "ops", "admin@nightshift.test");
    expect(await send(pauseRequest({ cookie: someone.cookie }, "Promoted and acting"))).toEqual({ status: 200, body: { ok: true } });

    await setUserRole(database.db, someone.id, "viewer", "admin@nightshift.test");
    const snapshot = await snapshotState(database.sql);
    expect(await send(pauseRequest({ cookie: someone.cookie }, "Demoted, tries again"))).toEqual({ status: 403, body: { error: { code: "forbidden", message: "This needs the ops role." } } });
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);
  });

  it("an account whose role is removed (an SSO person whose groups no longer map) is refused with a sentence saying why", async () => {
    const someone = await person("ops");
    await database.db.update(users).set({ role: null }).where(eq(users.id, someone.id));
    const snapshot = await snapshotState(database.sql);
    const answer = await send(pauseRequest({ cookie: someone.cookie }));
    expect(answer.status).toBe(403);
    expect(answer.body.error?.message).toMatch(/no Nightshift role yet/);
    expect(changedTables(snapshot, await snapshotState(database.sql))).toEqual([]);
  });
});
