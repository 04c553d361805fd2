import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { ROLES } from "@/lib/auth/roles";
import { getSharedDatabase } from "@/lib/db/shared";
import { actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { changedTables, snapshotState } from "@/test/support/state-snapshot";

/**
 * Who may call each state-changing route (issue 10's table). Generated against the file system:
 * a new route or method without a rule here fails, and so does a rule for a route that is gone.
 *
 * - `{ role }`: a signed-in person with at least that role (viewer < ops < admin);
 * - `"webhook"`: no session needed, the caller's signature is its authentication;
 * - `"setup-token"`: no session needed, the one-time first-admin token in the body is;
 * - `"better-auth"`: better-auth's own endpoints (sign-in, sign-out, OAuth callback), tested below.
 */
type Rule = { role: Role } | "webhook" | "setup-token" | "better-auth";
const RULES: Record<string, Rule> = {
  // Run now, cancel a batch, retry runs/groups, override a class, pause/resume a portal: ops.
  "POST /api/batches": { role: "ops" },
  // Run now's "Propose" (an instruction in words read into batch parameters; plans nothing): ops, like Run now.
  "POST /api/batches/steer": { role: "ops" },
  "POST /api/batches/[id]/cancel": { role: "ops" },
  "POST /api/runs/[id]/retry": { role: "ops" },
  "POST /api/runs/[id]/classification": { role: "ops" },
  "POST /api/runs/bulk": { role: "ops" },
  "POST /api/portals/[oem]/pause": { role: "ops" },
  "POST /api/portals/[oem]/resume": { role: "ops" },
  "POST /api/triage/groups/[groupId]/acknowledge": { role: "ops" },
  "DELETE /api/triage/groups/[groupId]/acknowledge": { role: "ops" },
  "POST /api/triage/groups/[groupId]/class": { role: "ops" },
  "POST /api/triage/groups/[groupId]/retry": { role: "ops" },
  // Decide heals in the review queue (approve, reject with a note, revert): ops, like the Portals page's other actions.
  "POST /api/heals/[id]/approve": { role: "ops" },
  "POST /api/heals/[id]/reject": { role: "ops" },
  "POST /api/heals/[id]/revert": { role: "ops" },
  // Edit the recipe (batch parameters): ops.
  "PUT /api/settings/recipe": { role: "ops" },
  // Edit the schedule, users and roles: admin.
  "PUT /api/settings/schedule": { role: "admin" },
  // Promote settings from another environment (preview and apply): admin.
  "POST /api/settings/import": { role: "admin" },
  "POST /api/users": { role: "admin" },
  "PATCH /api/users/[id]": { role: "admin" },
  // Portal credentials: admin.
  "PUT /api/portals/[oem]/credentials": { role: "admin" },
  "DELETE /api/portals/[oem]/credentials": { role: "admin" },
  // Alert and digest destinations: admin.
  "POST /api/settings/alerts/destinations": { role: "admin" },
  "PATCH /api/settings/alerts/destinations/[id]": { role: "admin" },
  "DELETE /api/settings/alerts/destinations/[id]": { role: "admin" },
  "POST /api/settings/alerts/destinations/[id]/test": { role: "admin" },
  // Machines and one-time links, no session.
  "POST /api/webhooks/crm": "webhook",
  "POST /api/setup": "setup-token",
  "POST /api/auth/[...all]": "better-auth",
};

const STATE_CHANGING = ["POST", "PUT", "PATCH", "DELETE"] as const;
const APP_DIR = path.resolve(import.meta.dirname, "../../../app");

/** Every route.ts under app/, as its URL pattern ("/api/runs/[id]/retry"; route groups dropped). */
function routeFiles(): { pattern: string; file: string }[] {
  return readdirSync(APP_DIR, { recursive: true, encoding: "utf8" })
    .filter((entry) => /(^|\/)route\.(ts|tsx|js|mjs)$/.test(entry))
    .map((entry) => {
      const segments = path.dirname(entry).split(path.sep).filter((segment) => segment !== "." && !/^\(.*\)$/.test(segment));
      return { pattern: `/${segments.join("/")}`, file: path.join(APP_DIR, entry) };
    })
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
interface Endpoint {
  key: string;
  method: (typeof STATE_CHANGING)[number];
  pattern: string;
  handler: Handler;
}

/** Values for dynamic segments: well-formed but naming nothing, so an allowed call answers 4xx and touches no row. */
function paramsFor(pattern: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const url = pattern.replace(/\[\[?(\.\.\.)?(\w+)\]?\]/g, (_match, rest: string | undefined, name: string) => {
    const value = name === "oem" ? "no-such-portal" : name === "groupId" ? "0000000000000000" : randomUUID();
    params[name] = rest ? [value] : value;
    return value;
  });
  return { url, params };
}

let database: TestDatabase;
const endpoints: Endpoint[] = [];
const cookies: Partial<Record<Role | "anonymous", Record<string, string>>> = { anonymous: {} };
const ORIGIN = "http://127.0.0.1:3000";

function requestFor(endpoint: Endpoint, who: Role | "anonymous", init: { body?: unknown; path?: string } = {}) {
  const { url, params } = paramsFor(endpoint.pattern);
  const request = new Request(`${ORIGIN}${init.path ?? url}`, {
    method: endpoint.method,
    headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json", ...cookies[who] },
    body: JSON.stringify(init.body ?? {}),
  });
  return { request, params };
}

async function call(endpoint: Endpoint, who: Role | "anonymous") {
  const { request, params } = requestFor(endpoint, who);
  const response = await endpoint.handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  let message: string | undefined;
  try {
    message = (JSON.parse(text) as { error?: { message?: string } }).error?.message;
  } catch {
    message = undefined;
  }
  return { status: response.status, message, text };
}

beforeAll(async () => {
  database = await createTestDatabase();
  // The handlers read their database and settings from the web process's environment, as under `npm start`.
  process.env.DATABASE_URL = database.url;
  process.env.CRM_WEBHOOK_SECRET = "whsec_cm9sZS1tYXRyaXgtdGVzdC1zZWNyZXQ=";
  process.env.PORT = "3000";
  process.env.LOG_LEVEL = "silent";
  (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps = { queue: Promise.resolve(database.queue) };
  for (const { pattern, file } of routeFiles()) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const method of STATE_CHANGING) {
      if (typeof module[method] === "function") endpoints.push({ key: `${method} ${pattern}`, method, pattern, handler: module[method] as Handler });
    }
  }
  for (const role of ROLES) cookies[role] = await actorHeaders(role);
});

afterAll(async () => {
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

describe("the role matrix is generated from the route files", () => {
  it("finds the routes on disk (a broken walk would make every other check vacuous)", () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(15);
    expect(endpoints.map((e) => e.key)).toContain("POST /api/runs/[id]/retry");
  });

  it("has a rule for every state-changing route and method", () => {
    const missing = endpoints.map((e) => e.key).filter((key) => !(key in RULES));
    expect(missing, `No access rule for ${missing.join(", ")}: add each to RULES in test/integration/auth/role-matrix.test.ts with the role it needs (issue 10's table).`).toEqual([]);
  });

  it("has no rule for a route or method that no longer exists", () => {
    const found = new Set(endpoints.map((e) => e.key));
    const stale = Object.keys(RULES).filter((key) => !found.has(key));
    expect(stale, `RULES names ${stale.join(", ")}, which no route exports any more: remove or rename the rule.`).toEqual([]);
  });

  it("has no server actions outside the matrix (every change goes through a route handler)", () => {
    const roots = ["app", "components", "lib"].map((dir) => path.resolve(APP_DIR, "..", dir));
    const withActions = roots.flatMap((root) =>
      readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((entry) => /\.(ts|tsx)$/.test(entry))
        .filter((entry) => /^\s*["']use server["']/m.test(readFileSync(path.join(root, entry), "utf8")))
        .map((entry) => path.relative(path.resolve(APP_DIR, ".."), path.join(root, entry))),
    );
    expect(withActions, `Server actions in ${withActions.join(", ")}: give each a rule and a role check in this matrix.`).toEqual([]);
  });
});

describe("every state-changing route as anonymous, viewer, ops and admin", () => {
  const sessionRules = Object.entries(RULES).filter((entry): entry is [string, { role: Role }] => typeof entry[1] === "object");

  it.each(sessionRules)("%s: 401 anonymous, 403 below its role with nothing changed, let through from its role up", async (key, rule) => {
    const endpoint = endpoints.find((e) => e.key === key);
    expect(endpoint, `${key} is not exported`).toBeDefined();
    const below = ROLES.filter((role) => ROLES.indexOf(role) < ROLES.indexOf(rule.role));
    const allowed = ROLES.filter((role) => ROLES.indexOf(role) >= ROLES.indexOf(rule.role));

    const before = await snapshotState(database.sql);
    const anonymous = await call(endpoint!, "anonymous");
    expect(anonymous.status, anonymous.text).toBe(401);
    expect(anonymous.message).toBe("Sign in to do this.");
    for (const role of below) {
      const refused = await call(endpoint!, role);
      expect(refused.status, `${key} as ${role}: ${refused.text}`).toBe(403);
      expect(refused.message).toBe(`This needs the ${rule.role} role.`);
    }
    expect(changedTables(before, await snapshotState(database.sql)), `${key}: a refused call changed these tables`).toEqual([]);

    for (const role of allowed) {
      const answer = await call(endpoint!, role);
      // The dummy body and ids may well be refused (400/404/409), but never for who is asking.
      expect([401, 403], `${key} as ${role}: ${answer.text}`).not.toContain(answer.status);
      expect(answer.status, `${key} as ${role}: ${answer.text}`).toBeLessThan(500);
    }
  });

  it("the CRM webhook needs no session, and a session does not replace its signature", async () => {
    const endpoint = endpoints.find((e) => e.key === "POST /api/webhooks/crm")!;
    for (const who of ["anonymous", ...ROLES] as const) {
      const answer = await call(endpoint, who);
      expect(answer.status, `${who}: ${answer.text}`).toBe(401);
      expect(answer.message).not.toBe("Sign in to do this.");
    }
  });

  it("the first-admin setup needs no session but a valid one-time token, for anyone, and a wrong one changes nothing", async () => {
    const endpoint = endpoints.find((e) => e.key === "POST /api/setup")!;
    const before = await snapshotState(database.sql);
    for (const who of ["anonymous", ...ROLES] as const) {
      const { request } = requestFor(endpoint, who, { body: { token: "a".repeat(43), name: "Eve", email: "eve@example.com", password: "long enough password" } });
      const response = await endpoint.handler(request, { params: Promise.resolve({}) });
      const body = (await response.json()) as { error?: { message?: string } };
      expect(response.status, `${who}: ${JSON.stringify(body)}`).toBe(404);
      expect(body.error?.message).toBe("This link is not valid. Use the link the launcher printed.");
    }
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });
});

describe("machine-read routes with their own token", () => {
  it("GET /api/metrics needs no session and a session does not replace its bearer token: without METRICS_TOKEN it is off (404, saying how to enable it), for anyone", async () => {
    expect(process.env.METRICS_TOKEN, "this file runs without METRICS_TOKEN").toBeUndefined();
    const { GET } = (await import(path.join(APP_DIR, "api/metrics/route.ts"))) as { GET: Handler };
    for (const who of ["anonymous", ...ROLES] as const) {
      const response = await GET(new Request(`${ORIGIN}/api/metrics`, { headers: { host: "127.0.0.1:3000", authorization: "Bearer anything-at-all-here", ...cookies[who] } }), { params: Promise.resolve({}) });
      const body = (await response.json()) as { error?: { message?: string } };
      expect(response.status, `${who}: ${JSON.stringify(body)}`).toBe(404);
      expect(body.error?.message).toMatch(/Set METRICS_TOKEN/);
    }
  });
});

describe("better-auth's endpoints", () => {
  it("refuse a public sign-up, signed in or not, and create nobody", async () => {
    const endpoint = endpoints.find((e) => e.key === "POST /api/auth/[...all]")!;
    const before = await snapshotState(database.sql);
    for (const who of ["anonymous", ...ROLES] as const) {
      const { request } = requestFor(endpoint, who, { path: "/api/auth/sign-up/email", body: { email: `mallory-${who}@example.com`, password: "a long enough password", name: "Mallory" } });
      const response = await endpoint.handler(request, { params: Promise.resolve({}) });
      const text = await response.text();
      expect(response.status, `${who}: ${text}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.status).toBe(404); // /api/auth answers only sign-in, callback, sign-out and the session (lib/auth/auth-endpoints.ts)
      expect(text).toMatch(/does not offer this sign-in endpoint/i);
      expect(response.headers.getSetCookie().filter((c) => c.includes("session_token=") && !/max-age=0/i.test(c))).toEqual([]);
    }
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });
});
