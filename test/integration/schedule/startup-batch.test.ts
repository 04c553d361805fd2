import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batches, recipeVersions, runs } from "@/drizzle/schema";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncOems } from "@/lib/oems/catalog";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startTestWorker, testIntegrations } from "../../support/worker";
import { CRM_TOKEN, crm, startTestSandbox } from "../sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-startup-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the start-up batch", () => {
  it("pulls the CRM and plans a manual batch from the saved recipe, by the system, with reason start-up", async () => {
    await database.db.insert(recipeVersions).values({ version: 1, recipe: { ...DEFAULT_RECIPE, opsNote: "start-up test" }, author: "ada" });
    await crm(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }) });
    try {
      await database.queue.addJob({ task: "sync_crm", payload: { thenStartBatch: true } });
      const batch = await until(async () => (await database.db.select().from(batches))[0]);
      expect(batch).toMatchObject({ trigger: "manual", createdBy: "system", recipeVersion: 1, nightKey: null, deadline: null, caseCount: 1 });
      expect(batch.parameters).toMatchObject({ reason: "start-up", opsNote: "start-up test" });
      await until(async () => (await database.db.select().from(runs).where(eq(runs.batchId, batch.id)))[0]?.status === "submitted");
    } finally {
      await worker.stop();
    }
  });
});
