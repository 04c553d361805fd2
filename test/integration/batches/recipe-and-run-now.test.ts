import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, batches, cases, recipeVersions, runs } from "@/drizzle/schema";
import { fieldErrorResponse } from "@/lib/batches/field-errors";
import { listBatches } from "@/lib/batches/list-batches";
import { deadlineAfter } from "@/lib/schedule/slots";
import { PRODUCTION_RETRY_BOUNDS, SANDBOX_RETRY_BOUNDS } from "@/lib/batches/recipe";
import { getRecipeSettings, saveRecipeFromForm } from "@/lib/batches/recipe-settings";
import { runNow } from "@/lib/batches/run-now";
import { syncOems } from "@/lib/oems/catalog";
import { createTestDatabase, type TestDatabase } from "../../support/database";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
});
afterAll(async () => {
  await database?.destroy();
});

const count = async (table: typeof recipeVersions | typeof batches | typeof runs) => (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

describe("the saved recipe", () => {
  it("saves each change as a new version with its author and note, audited, and lists the history newest first", async () => {
    const first = await saveRecipeFromForm(database.db, { body: { recipe: { order: "oldest_first" }, note: "oldest first this week" }, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops-ana" });
    const second = await saveRecipeFromForm(database.db, { body: { recipe: { oemIds: ["corvid"], retry: { maxAttempts: 2, delaySeconds: 300 } } }, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops-ben" });
    expect(first).toMatchObject({ kind: "saved", version: { version: 1, author: "ops-ana", note: "oldest first this week", recipe: { order: "oldest_first" } } });
    expect(second).toMatchObject({ kind: "saved", version: { version: 2, author: "ops-ben", recipe: { oemIds: ["corvid"], order: "redaction_first", retry: { maxAttempts: 2, delaySeconds: 300 } } } });

    const settings = await getRecipeSettings(database.db, { bounds: PRODUCTION_RETRY_BOUNDS });
    expect(settings).toMatchObject({ version: 2, author: "ops-ben", recipe: { oemIds: ["corvid"] }, bounds: PRODUCTION_RETRY_BOUNDS });
    expect(settings.versions.map((v) => [v.version, v.author])).toEqual([
      [2, "ops-ben"],
      [1, "ops-ana"],
    ]);
    const audits = await database.db.select({ actor: auditLog.actor, details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "recipe.save"));
    expect(audits.map((a) => [a.actor, a.details.version])).toEqual([
      ["ops-ana", 1],
      ["ops-ben", 2],
    ]);
  });

  it("refuses bad values with field errors and saves nothing", async () => {
    const before = await count(recipeVersions);
    const cases_ = [
      [{ recipe: { concurrency: 0 } }, { "recipe.concurrency": "At least 1" }],
      [{ recipe: { retry: { maxAttempts: 3, delaySeconds: 30 } } }, { "recipe.retry.delaySeconds": "At least 2 min" }],
      [{ recipe: { oemIds: ["arden", "nowhere"] } }, { "recipe.oemIds.1": 'Unknown OEM "nowhere"' }],
      [{ recipe: { portalConcurrency: { ghost: 2 } } }, { "recipe.portalConcurrency.ghost": 'Unknown OEM "ghost"' }],
      [{ recipe: { order: "fastest" } }, { "recipe.order": 'Invalid option: expected one of "redaction_first"|"oldest_first"|"urgent_first"' }],
      [{ recipe: { deadlineHours: 6 } }, { "recipe.deadlineHours": "Unknown field" }],
      [{ note: "no recipe" }, { recipe: "Required" }],
    ] as const;
    for (const [body, fields] of cases_) {
      const result = await saveRecipeFromForm(database.db, { body, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops-ana" });
      expect(result).toEqual({ kind: "invalid", fields });
    }
    expect(await count(recipeVersions)).toBe(before);
  });

  it("allows second-scale retry delays only with the sandbox's bounds", async () => {
    const body = { recipe: { retry: { maxAttempts: 2, delaySeconds: 5 } } };
    expect((await saveRecipeFromForm(database.db, { body, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops" })).kind).toBe("invalid");
    expect((await saveRecipeFromForm(database.db, { body, bounds: SANDBOX_RETRY_BOUNDS, actor: "ops" })).kind).toBe("saved");
  });

  it("answers field errors as a 400 in the one error shape", async () => {
    const response = fieldErrorResponse({ "recipe.concurrency": "At least 1" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "bad_request", message: "recipe.concurrency: At least 1", fields: { "recipe.concurrency": ["At least 1"] } } });
  });
});

describe("Run now", () => {
  it("refuses bad values with field errors and plans nothing", async () => {
    await database.db.insert(cases).values({ crmId: "crm-run-now-1", reference: "NS-2026-90001", oemId: "arden", kind: "warranty_claim", crmStatus: "open" });
    const before = { batches: await count(batches), runs: await count(runs) };
    const bad = [
      [{ concurrency: 99 }, { concurrency: "At most 16" }],
      [{ oemIds: ["nowhere"] }, { "oemIds.0": 'Unknown OEM "nowhere"' }],
      [{ deadlineHours: 6 }, { deadlineHours: "Unknown field" }],
      [{ caseIds: ["not-a-uuid"] }, { "caseIds.0": "Not a case id" }],
      [{ retry: { maxAttempts: 9, delaySeconds: 300 } }, { "retry.maxAttempts": "At most 5 attempts" }],
    ] as const;
    for (const [body, fields] of bad) {
      expect(await runNow(database.db, database.queue, { body, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops", defaultMaxAttempts: 3 })).toEqual({ kind: "invalid", fields });
    }
    expect({ batches: await count(batches), runs: await count(runs) }).toEqual(before);
  });

  it("merges the request over the saved recipe (arrays replace), records the recipe version and who, and takes the schedule's next deadline", async () => {
    await saveRecipeFromForm(database.db, { body: { recipe: { oemIds: ["corvid"], caseKinds: ["recall"], opsNote: "saved note" } }, bounds: SANDBOX_RETRY_BOUNDS, actor: "ops" });
    const saved = await getRecipeSettings(database.db, { bounds: SANDBOX_RETRY_BOUNDS });
    const now = new Date("2026-12-02T03:00:00Z"); // 21:00 in Chicago: the next 07:00 there is 13:00 UTC
    const result = await runNow(database.db, database.queue, { body: { oemIds: ["arden"], caseKinds: [], dryRun: true }, bounds: SANDBOX_RETRY_BOUNDS, actor: "ops-cy", defaultMaxAttempts: 3, now });
    expect(result).toMatchObject({ kind: "planned", caseCount: 1, deadline: new Date("2026-12-02T13:00:00Z") });
    if (result.kind !== "planned") return;
    const [batch] = await database.db.select().from(batches).where(eq(batches.id, result.batchId));
    expect(batch).toMatchObject({ trigger: "manual", createdBy: "ops-cy", recipeVersion: saved.version, parameters: { oemIds: ["arden"], caseKinds: [], dryRun: true, opsNote: "saved note" } });
    const listed = await listBatches(database.db, { limit: 10 });
    expect(listed.batches[0]).toMatchObject({ id: result.batchId, caseCount: 1, dryRun: true, opsNote: "saved note", counts: { queued: 1, submitted: 0 } });

    // Nothing left that matches: no batch, a message instead.
    expect(await runNow(database.db, database.queue, { body: { oemIds: ["arden"], caseKinds: [] }, bounds: SANDBOX_RETRY_BOUNDS, actor: "ops", defaultMaxAttempts: 3 })).toEqual({ kind: "nothing_to_file" });
  });

  it("pages recent batches newest first with a cursor", async () => {
    await database.db.insert(cases).values({ crmId: "crm-run-now-2", reference: "NS-2026-90002", oemId: "borealis", kind: "emissions_report", crmStatus: "open" });
    const newest = await runNow(database.db, database.queue, { body: { oemIds: ["borealis"], caseKinds: [] }, bounds: SANDBOX_RETRY_BOUNDS, actor: "ops", defaultMaxAttempts: 3 });
    expect(newest.kind).toBe("planned");
    const first = await listBatches(database.db, { limit: 1 });
    expect(first.batches).toHaveLength(1);
    expect(first.batches[0]!.id).toBe(newest.kind === "planned" ? newest.batchId : null);
    expect(first.nextCursor).toBe(first.batches[0]!.id);
    const rest = await listBatches(database.db, { limit: 10, cursor: first.nextCursor! });
    expect(rest.batches.map((b) => b.id)).not.toContain(first.batches[0]!.id);
  });
});

describe("the deadline of a manual batch", () => {
  it("is the next 07:00 in the schedule's zone, across a DST change", () => {
    const chicago = { deadline: "07:00", timeZone: "America/Chicago" };
    expect(deadlineAfter(new Date("2026-12-02T12:59:00Z"), chicago).toISOString()).toBe("2026-12-02T13:00:00.000Z");
    expect(deadlineAfter(new Date("2026-12-02T13:00:00Z"), chicago).toISOString()).toBe("2026-12-03T13:00:00.000Z");
    // 2026-11-01: Chicago falls back; 07:00 CST is 13:00 UTC, the day before it was 12:00 UTC.
    expect(deadlineAfter(new Date("2026-10-31T20:00:00Z"), chicago).toISOString()).toBe("2026-11-01T13:00:00.000Z");
  });
});
