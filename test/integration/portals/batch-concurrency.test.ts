import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, runs } from "@/drizzle/schema";
import { planBatch } from "@/lib/batches/plan-batch";
import { DEFAULT_RECIPE } from "@/lib/batches/recipe";
import { syncOems } from "@/lib/oems/catalog";
import { acquirePortalSlot, assignPortalSlot, releasePortalSlot } from "@/lib/portals/sessions";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import { createTestDatabase, type TestDatabase } from "../../support/database";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
});
afterAll(async () => {
  await database?.destroy();
});

async function newCase(oemId: string, n: number) {
  const [row] = await database.db.insert(cases).values({ crmId: `crm-cc-${oemId}-${n}`, reference: `NS-CC-${oemId}-${n}`, oemId, kind: "warranty_claim", crmStatus: "open" }).returning({ id: cases.id });
  return row!.id;
}

describe("a batch's overall session limit (the recipe's concurrency)", () => {
  it("holds across portals: a batch of concurrency 1 gets one session at a time, however free the portals are; runs outside it are not capped", async () => {
    const caseIds = [await newCase("arden", 1), await newCase("borealis", 1)];
    const planned = await planBatch(database.db, database.queue, {
      trigger: "manual",
      plan: { ...DEFAULT_RECIPE, concurrency: 1, defaultPortalConcurrency: 4, caseIds },
      recipeVersion: null,
      deadline: null,
      createdBy: "test",
      defaultMaxAttempts: 3,
    });
    if (planned.kind !== "planned") throw new Error(planned.kind);
    const batchRuns = await database.db.select({ id: runs.id, caseId: runs.caseId }).from(runs).where(eq(runs.batchId, planned.batchId));
    const ardenRun = batchRuns.find((r) => r.caseId === caseIds[0])!.id;
    const borealisRun = batchRuns.find((r) => r.caseId === caseIds[1])!.id;

    const first = await acquirePortalSlot(database.db, { oemId: "arden", workerId: "w1", limit: 4, runId: ardenRun });
    expect(first).toBe(0);
    // Another portal with free slots, but the batch already has its one session.
    expect(await acquirePortalSlot(database.db, { oemId: "borealis", workerId: "w2", limit: 4, runId: borealisRun })).toBeNull();
    // An idle signed-in session cannot be handed to the batch's second run either.
    const idle = await acquirePortalSlot(database.db, { oemId: "borealis", workerId: "w2", limit: 4, runId: null });
    expect(idle).toBe(0);
    expect(await assignPortalSlot(database.db, { oemId: "borealis", workerId: "w2", slot: idle!, runId: borealisRun, limit: 4 })).toBe(false);
    // An urgent run outside the batch is not held back by the batch's cap.
    const urgent = await enqueueRun(database.db, database.queue, { caseId: await newCase("borealis", 2), maxAttempts: 3 });
    expect(await acquirePortalSlot(database.db, { oemId: "borealis", workerId: "w3", limit: 4, runId: urgent!.runId })).toBe(1);

    // The batch's session ends: its next run gets one.
    await releasePortalSlot(database.db, { oemId: "arden", workerId: "w1", slot: first! });
    expect(await assignPortalSlot(database.db, { oemId: "borealis", workerId: "w2", slot: idle!, runId: borealisRun, limit: 4 })).toBe(true);
  });
});
