import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ExportRoute from "@/app/api/settings/export/route";
import type * as ImportRoute from "@/app/api/settings/import/route";
import { auditLog, recipeVersions } from "@/drizzle/schema";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { saveRecipe } from "@/lib/batches/recipe-store";
import { getSharedDatabase } from "@/lib/db/shared";
import { exportSettings, importSettings, readPromotedSettings, type SettingsDocument } from "@/lib/promote/settings-transfer";
import { saveSchedule } from "@/lib/schedule/schedule-store";
import { actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { changedTables, snapshotState } from "@/test/support/state-snapshot";

const BOUNDS = { minDelaySeconds: 120, maxDelaySeconds: 600 };
const ORIGIN = "http://127.0.0.1:3000";

let stage: TestDatabase;
let prod: TestDatabase;
let exportRoute: typeof ExportRoute;
let importRoute: typeof ImportRoute;
const cookies: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  [stage, prod] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  // The routes run as prod's web app.
  process.env.DATABASE_URL = prod.url;
  process.env.LOG_LEVEL = "silent";
  process.env.PORT = "3000";
  exportRoute = await import("@/app/api/settings/export/route");
  importRoute = await import("@/app/api/settings/import/route");
  for (const role of ["viewer", "ops", "admin"] as const) cookies[role] = await actorHeaders(role);
  await saveSchedule(stage.db, { schedule: { enabled: true, time: "23:45", timeZone: "Europe/Berlin", deadline: "06:15" }, actor: "stage-admin" });
  await saveRecipe(stage.db, {
    recipe: { ...DEFAULT_RECIPE, order: "oldest_first", concurrency: 5, defaultPortalConcurrency: 3, portalConcurrency: { arden: 1 }, retry: { maxAttempts: 2, delaySeconds: 180 }, opsNote: "Corvid audit Friday" },
    author: "stage-ops",
    note: "rehearsed",
  });
});

afterAll(async () => {
  await getSharedDatabase().close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await Promise.all([stage?.destroy(), prod?.destroy()]);
});

async function post(path: string, body: unknown, role: "ops" | "admin" = "admin") {
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", headers: { host: "127.0.0.1:3000", origin: ORIGIN, "content-type": "application/json", ...cookies[role] }, body: JSON.stringify(body) });
  const response = await importRoute.POST(request, { params: Promise.resolve({}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { message: string } } };
}

describe("promote settings from stage to prod", () => {
  it("exports a versioned document and an import on another database reproduces schedule, recipe and portal limits", async () => {
    const document = await exportSettings(stage.db, { env: "stage", by: "stage-admin", now: new Date("2026-12-01T12:00:00Z") });
    expect(document).toMatchObject({ format: "nightshift.settings", version: 1, exportedFrom: { env: "stage", at: "2026-12-01T12:00:00.000Z", by: "stage-admin" }, portalLimits: { default: 3, byPortal: { arden: 1 } } });
    expect(document.recipe).not.toHaveProperty("portalConcurrency");

    const result = await importSettings(prod.db, { input: JSON.parse(JSON.stringify(document)), bounds: BOUNDS, actor: "prod-admin", preview: false });
    expect(result.changes.map((c) => c.field)).toEqual(expect.arrayContaining(["schedule.time", "schedule.timeZone", "recipe.order", "recipe.retry", "portalLimits.default", "portalLimits.byPortal.arden"]));
    expect(result.changes.find((c) => c.field === "schedule.time")?.sentence).toBe("Start time: 01:30 → 23:45.");
    expect(result.changes.find((c) => c.field === "portalLimits.byPortal.arden")?.sentence).toBe("Sessions on Arden Motors: the default → 1.");
    expect(await readPromotedSettings(prod.db)).toEqual(await readPromotedSettings(stage.db));

    const [audit] = await prod.db.select().from(auditLog).where(eq(auditLog.action, "settings.import")).orderBy(desc(auditLog.createdAt)).limit(1);
    expect(audit).toMatchObject({ actor: "prod-admin", details: { exportedFrom: { env: "stage" }, recipeVersion: result.recipeVersion } });
    expect((audit!.details.changes as unknown[]).length).toBe(result.changes.length);

    // Importing the same file again changes nothing and saves no new recipe version.
    const versionsBefore = await prod.db.select().from(recipeVersions);
    const again = await importSettings(prod.db, { input: document, bounds: BOUNDS, actor: "prod-admin", preview: false });
    expect(again.changes).toEqual([]);
    expect(await prod.db.select().from(recipeVersions)).toHaveLength(versionsBefore.length);
  });

  it("GET /api/settings/export downloads the document, and preview lists the diff while changing nothing", async () => {
    const response = await exportRoute.GET(new Request(`${ORIGIN}/api/settings/export`, { headers: { host: "127.0.0.1:3000", ...cookies.viewer } }), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="nightshift-settings-dev-\d{4}-\d\d-\d\d\.json"$/);
    const prodDocument = (await response.json()) as SettingsDocument;
    expect(prodDocument.format).toBe("nightshift.settings");

    const changed: SettingsDocument = { ...prodDocument, schedule: { ...prodDocument.schedule, deadline: "07:30" }, portalLimits: { default: 2, byPortal: {} } };
    const before = await snapshotState(prod.sql);
    const preview = await post("/api/settings/import?preview=1", changed);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ preview: true, changes: [{ field: "schedule.deadline", sentence: "Deadline: 06:15 → 07:30." }, { field: "portalLimits.default" }, { field: "portalLimits.byPortal.arden" }] });
    expect(changedTables(before, await snapshotState(prod.sql))).toEqual([]);

    const applied = await post("/api/settings/import", changed);
    expect(applied.status).toBe(200);
    expect((await readPromotedSettings(prod.db)).schedule.deadline).toBe("07:30");
  });

  it.each([
    ["another format", { format: "something.else", version: 1 }, /not a Nightshift settings file/],
    ["an unknown version", { format: "nightshift.settings", version: 2 }, /version 2; this Nightshift reads version 1 only/],
    ["an unknown portal and a retry below the deployment's bounds", "bad-data", /refused and nothing changed: .*recipe.retry.delaySeconds: At least 1 s.*portalLimits.byPortal.nope/],
  ])("refuses %s with a sentence and changes nothing", async (_what, input, message) => {
    const good = await exportSettings(stage.db, { env: "stage", by: "x" });
    const body = input === "bad-data" ? { ...good, recipe: { ...good.recipe, retry: { maxAttempts: 2, delaySeconds: 0.5 } }, portalLimits: { default: 2, byPortal: { nope: 1 } } } : input;
    const before = await snapshotState(prod.sql);
    const answer = await post("/api/settings/import", body);
    expect(answer.status).toBe(400);
    expect(answer.json.error?.message).toMatch(message);
    expect(changedTables(before, await snapshotState(prod.sql))).toEqual([]);
  });

  it("lets only an admin import", async () => {
    const before = await snapshotState(prod.sql);
    const answer = await post("/api/settings/import?preview=1", await exportSettings(stage.db, { env: "stage", by: "x" }), "ops");
    expect(answer.status).toBe(403);
    expect(changedTables(before, await snapshotState(prod.sql))).toEqual([]);
  });
});
