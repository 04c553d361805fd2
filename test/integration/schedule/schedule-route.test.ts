import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as RouteModule from "@/app/api/settings/schedule/route";
import { auditLog, scheduleSettings } from "@/drizzle/schema";
import { getSharedDatabase } from "@/lib/db/shared";
import { DEFAULT_SCHEDULE } from "@/lib/schedule/schedule";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";


let database: TestDatabase;
let route: typeof RouteModule;

let signedIn: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  // The route reads its database through the web process's environment, as under `npm start`.
  process.env.DATABASE_URL = database.url;
  route = await import("@/app/api/settings/schedule/route");
  signedIn = await actorHeaders("admin");
});
afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

const URL_ = "http://127.0.0.1:3000/api/settings/schedule";
const get = async () => route.GET(new Request(URL_, { headers: signedIn }), {});
const put = async (body: unknown, headers: Record<string, string> = {}) =>
  route.PUT(new Request(URL_, { method: "PUT", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", ...signedIn, ...headers }, body: JSON.stringify(body) }), {});

describe("GET/PUT /api/settings/schedule", () => {
  it("shows the default schedule in words with its next slot before anything is saved", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ schedule: DEFAULT_SCHEDULE, description: "Every night at 1:30 AM Central · done by 7:00 AM", updatedBy: null, updatedAt: null });
    const nextSlot = new Date(body.nextSlot as string);
    expect(nextSlot.getTime()).toBeGreaterThan(Date.now());
    expect(nextSlot.getTime() - Date.now()).toBeLessThanOrEqual(25 * 3_600_000);
    // 1:30 → 7:00 is 5½ hours, an hour more or less on a changeover night.
    const night = new Date(body.nextDeadline as string).getTime() - nextSlot.getTime();
    expect(night).toBeGreaterThanOrEqual(4.5 * 3_600_000);
    expect(night).toBeLessThanOrEqual(6.5 * 3_600_000);
  });

  it("refuses bad values with a 400 naming each field, and saves nothing", async () => {
    const response = await put({ enabled: "yes", time: "25:61", timeZone: "Mars/Olympus", deadline: "7am" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("bad_request");
    for (const field of ["enabled:", "time: Use 24-hour HH:MM", "timeZone: Not an IANA time zone", "deadline:"]) expect(error.message).toContain(field);

    const same = await put({ ...DEFAULT_SCHEDULE, deadline: DEFAULT_SCHEDULE.time });
    expect(same.status).toBe(400);
    expect(((await same.json()) as { error: { message: string } }).error.message).toBe("deadline: The deadline must differ from the start time");
    const extra = await put({ ...DEFAULT_SCHEDULE, cron: "* * * * *" });
    expect(extra.status).toBe(400);

    expect(await database.db.select().from(scheduleSettings)).toHaveLength(0);
    expect(await database.db.select().from(auditLog)).toHaveLength(0);
  });

  it("refuses a cross-site change", async () => {
    const response = await put({ ...DEFAULT_SCHEDULE, time: "02:00" }, { origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await database.db.select().from(scheduleSettings)).toHaveLength(0);
  });

  it("saves a valid schedule, audits it with before and after, and answers with the new view", async () => {
    const next = { enabled: true, time: "23:15", timeZone: "Europe/Berlin", deadline: "06:00" };
    const response = await put(next);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ schedule: next, description: "Every night at 11:15 PM Central European · done by 6:00 AM the next day", updatedBy: actorEmail("admin") });
    expect(new Date(body.nextDeadline as string).getTime() - new Date(body.nextSlot as string).getTime()).toBeGreaterThanOrEqual(5.75 * 3_600_000);

    const [row] = await database.db.select().from(scheduleSettings);
    expect(row).toMatchObject({ id: "nightly", ...next, updatedBy: actorEmail("admin") });
    expect(await database.db.select({ actor: auditLog.actor, action: auditLog.action, details: auditLog.details }).from(auditLog)).toEqual([
      { actor: actorEmail("admin"), action: "schedule.update", details: { before: DEFAULT_SCHEDULE, after: next } },
    ]);
    expect(await (await get()).json()).toEqual(body);

    const paused = await put({ ...next, enabled: false });
    expect(await paused.json()).toMatchObject({ description: "Paused — no nightly batch (set for 11:15 PM Central European · done by 6:00 AM the next day)", nextSlot: null, nextDeadline: null });
    expect(await database.db.select().from(auditLog)).toHaveLength(2);
  });
});
