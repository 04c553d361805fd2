import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { getSharedDatabase } from "@/lib/db/shared";
import { actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import * as alertsRoute from "@/app/api/settings/alerts/route";
import * as destinationsRoute from "@/app/api/settings/alerts/destinations/route";
import * as destinationRoute from "@/app/api/settings/alerts/destinations/[id]/route";
import * as testRoute from "@/app/api/settings/alerts/destinations/[id]/test/route";

/** The Settings → Alerts and digest API as the web app serves it: admins change, viewers read, bad input is refused with a sentence. */
let database: TestDatabase;
const ORIGIN = "http://127.0.0.1:3000";
const cookies: Partial<Record<Role, Record<string, string>>> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.PORT = "3000";
  process.env.LOG_LEVEL = "silent";
  process.env.NIGHTSHIFT_PUBLIC_URL = "";
  (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps = { queue: Promise.resolve(database.queue) };
  cookies.admin = await actorHeaders("admin");
  cookies.viewer = await actorHeaders("viewer");
});

afterAll(async () => {
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(handler: unknown, who: Role, init: { method: string; path: string; body?: unknown; params?: Record<string, string> }) {
  const request = new Request(`${ORIGIN}${init.path}`, {
    method: init.method,
    headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json", ...cookies[who] },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const response = await (handler as Handler)(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

const count = async (table: string) => (await database.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe("the alerts API", () => {
  it("an admin adds an email and a webhook (its secret only in that answer); a viewer reads them, masked, without secrets", async () => {
    const email = await call(destinationsRoute.POST, "admin", { method: "POST", path: "/api/settings/alerts/destinations", body: { kind: "email", target: "night-ops@example.com", receivesAlerts: true, receivesDigest: false } });
    expect(email.status, JSON.stringify(email.body)).toBe(200);
    expect(email.body).toMatchObject({ secret: null, destination: { kind: "email", target: "night-ops@example.com", receivesAlerts: true, receivesDigest: false, enabled: true } });
    const hook = await call(destinationsRoute.POST, "admin", { method: "POST", path: "/api/settings/alerts/destinations", body: { kind: "webhook", target: "https://chat.example.com/hooks/T0/B0/secretpath", label: "Ops chat" } });
    expect(hook.status).toBe(200);
    const secret = hook.body!.secret as string;
    expect(secret).toMatch(/^whsec_/);

    const read = await call(alertsRoute.GET, "viewer", { method: "GET", path: "/api/settings/alerts" });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ emailConfigured: false, publicUrl: null, reminderHours: 4 });
    const text = JSON.stringify(read.body);
    expect(text).not.toContain(secret.slice(6));
    expect(text).not.toContain("secretpath");
    expect(text).toContain("https://chat.example.com/…path");
  });

  it("refuses an invalid destination with a sentence and changes nothing", async () => {
    const before = [await count("alert_destinations"), await count("audit_log")];
    for (const [body, message] of [
      [{ kind: "email", target: "ops at example" }, "Enter an email address, e.g. ops@example.com."],
      [{ kind: "webhook", target: "file:///etc/passwd" }, "Enter a webhook URL that starts with http:// or https://."],
      [{ kind: "webhook" }, "Enter a webhook URL that starts with http:// or https://."],
      [{ kind: "email", target: "a@example.com", receivesDigest: "yes" }, "Say whether it receives the morning digest: true or false."],
    ] as const) {
      const answer = await call(destinationsRoute.POST, "admin", { method: "POST", path: "/api/settings/alerts/destinations", body });
      expect(answer.status).toBe(400);
      expect((answer.body!.error as { message: string }).message).toBe(message);
    }
    expect([await count("alert_destinations"), await count("audit_log")]).toEqual(before);
  });

  it("a viewer cannot add, change or test; an admin disables, tests, and deletes, each audited", async () => {
    const read = await call(alertsRoute.GET, "admin", { method: "GET", path: "/api/settings/alerts" });
    const [destination] = read.body!.destinations as Array<{ id: string; target: string }>;
    const id = destination!.id;
    const refused = await call(destinationRoute.PATCH, "viewer", { method: "PATCH", path: `/api/settings/alerts/destinations/${id}`, body: { enabled: false }, params: { id } });
    expect(refused.status).toBe(403);

    const testAnswer = await call(testRoute.POST, "admin", { method: "POST", path: `/api/settings/alerts/destinations/${id}/test`, params: { id } });
    expect(testAnswer.status).toBe(200);
    expect(testAnswer.body!.deliveryId).toEqual(expect.any(String));
    const deliveries = await database.db.execute<{ status: string; type: string }>(sql`select status, type from alert_deliveries`);
    expect([...deliveries]).toEqual([{ status: "pending", type: "test" }]);

    const off = await call(destinationRoute.PATCH, "admin", { method: "PATCH", path: `/api/settings/alerts/destinations/${id}`, body: { enabled: false }, params: { id } });
    expect(off.body).toMatchObject({ id, enabled: false });
    const notNow = await call(testRoute.POST, "admin", { method: "POST", path: `/api/settings/alerts/destinations/${id}/test`, params: { id } });
    expect(notNow.status).toBe(409);
    expect((notNow.body!.error as { message: string }).message).toBe("This destination is disabled: enable it to send it a test message.");
    const nothing = await call(destinationRoute.PATCH, "admin", { method: "PATCH", path: `/api/settings/alerts/destinations/${id}`, body: { receivesAlerts: false, receivesDigest: false }, params: { id } });
    expect(nothing.status).toBe(400);

    const gone = await call(destinationRoute.DELETE, "admin", { method: "DELETE", path: `/api/settings/alerts/destinations/${id}`, params: { id } });
    expect(gone.status).toBe(204);
    expect(await count("alert_deliveries")).toBe(0);
    const audit = await database.db.execute<{ action: string }>(sql`select action from audit_log where action like '%alert_destination' order by created_at`);
    expect(audit.map((a) => a.action)).toEqual(["add_alert_destination", "add_alert_destination", "test_alert_destination", "update_alert_destination", "delete_alert_destination"]);
  });
});
