import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as DoctorRoute from "@/app/api/settings/doctor/route";
import { getSharedDatabase } from "@/lib/db/shared";
import type { DoctorReport } from "@/lib/doctor/types";
import type { Sandbox } from "@/sandbox/server";
import { actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { CRM_TOKEN, startTestSandbox } from "../sandbox/helpers";

/** Settings → Environment reads GET /api/settings/doctor: the same report for the running web app, to viewers, cached. */
let database: TestDatabase;
let sandbox: Sandbox;
let route: typeof DoctorRoute;
const cookies: Record<string, Record<string, string>> = {};
const ORIGIN = "http://127.0.0.1:3000";

beforeAll(async () => {
  [database, sandbox] = await Promise.all([createTestDatabase(), startTestSandbox()]);
  Object.assign(process.env, { DATABASE_URL: database.url, LOG_LEVEL: "silent", PORT: "3000", SANDBOX_PORT: String(sandbox.port), CRM_BASE_URL: `${sandbox.url}/crm/api`, CRM_TOKEN });
  route = await import("@/app/api/settings/doctor/route");
  cookies.viewer = await actorHeaders("viewer");
});
afterAll(async () => {
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  delete (globalThis as { nightshiftDoctor?: unknown }).nightshiftDoctor;
  await getSharedDatabase().close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
  await Promise.all([database?.destroy(), sandbox?.close()]);
});

async function get(headers: Record<string, string>, query = "") {
  const response = await route.GET(new Request(`${ORIGIN}/api/settings/doctor${query}`, { headers: { host: "127.0.0.1:3000", ...headers } }), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as DoctorReport };
}

describe("GET /api/settings/doctor", () => {
  it("refuses anonymous callers", async () => {
    expect((await get({})).status).toBe(401);
  });

  it("gives a viewer the running environment's report, then the cached one within 30 s", async () => {
    const first = await get(cookies.viewer!);
    expect(first.status).toBe(200);
    expect(first.body.checks.map((c) => c.id)).toEqual(expect.arrayContaining(["database", "migrations", "crm", "browser", "secrets"]));
    expect(first.body.checks.find((c) => c.id === "crm")?.status).toBe("ok");
    expect(first.body.checks.find((c) => c.id === "migrations")?.status).toBe("ok");
    const second = await get(cookies.viewer!);
    expect(second.body.checkedAt).toBe(first.body.checkedAt);
    expect(JSON.stringify(first.body)).not.toContain(CRM_TOKEN);
  });
});
