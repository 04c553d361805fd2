import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batches, outbox, runs } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { buildMorningDigest } from "@/lib/batches/digest";
import { planBatch } from "@/lib/batches/plan-batch";
import { parseBatchPlan } from "@/lib/batches/recipe";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import type { WorkerHandle } from "@/jobs/worker";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { quietLog, startTestWorker, testIntegrations } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";

/**
 * The morning digest on real parts: a batch filed by a real worker in Chromium on the sandbox
 * portals, two of whose cases carry data the Arden portal refuses and one the Borealis portal
 * refuses. When the last run ends, the batch's watch job builds the digest.
 */
let database: TestDatabase;
let sandbox: Sandbox;
let worker: WorkerHandle;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  sandbox = await startTestSandbox();
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-digest-worker-"));
  worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), concurrency: 2 });
});
afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined | false | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 250));
  }
}

const CASES = [
  { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" },
  { oem: "corvid", kind: "safety_incident", unitId: "CI-4821-0093" },
  // "O" is not allowed in a VIN: the Arden portal refuses both, with one message.
  { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M0918O" },
  { oem: "arden", kind: "warranty_claim", unitId: "1ARHO4Z5BK2M09186" },
  // Too few digits for a Borealis serial number.
  { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-4512" },
];

describe("the morning digest of a filed batch", () => {
  it("is built once when the batch finishes: terminal fails by OEM × fingerprint, owners, metSla, one CRM note per terminal fail", { timeout: 180_000 }, async () => {
    const created: CaseBody[] = [];
    for (const body of CASES) created.push((await crm<CaseBody>(sandbox, "POST", "/cases", { body })).body);
    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    await syncCasesFromCrm(database.db, { crm: connector, log: quietLog });

    const deadline = new Date(Date.now() + 3_600_000);
    const planned = await planBatch(database.db, database.queue, {
      trigger: "manual",
      plan: parseBatchPlan({}),
      recipeVersion: null,
      deadline,
      createdBy: "ops@example.com",
      defaultMaxAttempts: 3,
    });
    expect(planned).toMatchObject({ kind: "planned", caseCount: 5 });
    if (planned.kind !== "planned") return;

    // The last run's outcome closes the batch and queues its watch, which builds the digest.
    const built = await until(async () => {
      const [row] = await database.db.select().from(batches).where(eq(batches.id, planned.batchId));
      return row?.digestBuiltAt ? row : null;
    }, 150_000);
    expect(built.status).toBe("finished");
    expect(built.metSla).toBe(true);
    const digest = built.digest!;
    expect(digest).toMatchObject({ reason: "finished", eligible: 5, submitted: 2, terminalFails: 3, unfinished: 0, metSla: true });
    expect(digest.headline).toMatch(/^2 of 5 cases filed by \d{1,2}:\d\d [AP]M, (\d+ h )?(\d+ min )?before the \d{1,2}:\d\d [AP]M [A-Z]{2,5} deadline; 3 need a person \(3 for ops\)\.$/);
    expect(digest.groups.map((g) => [g.oemId, g.count, g.owner, g.errorClass])).toEqual([
      ["arden", 2, "ops", "portal_rejected"],
      ["borealis", 1, "ops", "portal_rejected"],
    ]);
    const refs = (oem: string) => created.filter((c, i) => CASES[i]!.oem === oem && i >= 2).map((c) => c.reference).sort();
    expect(digest.groups[0]!.runs.map((r) => r.reference)).toEqual(refs("arden"));
    expect(digest.groups[0]!.runs.every((r) => r.status === "needs_review" && r.failure?.fingerprint === digest.groups[0]!.fingerprint)).toBe(true);

    // Every write-back delivered; each terminal fail has exactly one CRM note (fail-run's: the digest posted none).
    const batchRuns = await database.db.select({ id: runs.id }).from(runs).where(eq(runs.batchId, planned.batchId));
    await until(async () => {
      const pending = await database.db.select({ status: outbox.status }).from(outbox).where(inArray(outbox.runId, batchRuns.map((r) => r.id)));
      return pending.length > 0 && pending.every((o) => o.status === "delivered");
    }, 30_000);
    const writes = (await admin<{ writes: Array<{ caseId: string | null; method: string; path: string; tookEffect: boolean }> }>(sandbox, "GET", "/admin/crm/writes")).body.writes;
    const notesOf = (crmId: string) => writes.filter((w) => w.caseId === crmId && w.method === "POST" && w.path.endsWith("/notes"));
    for (const [i, c] of created.entries()) {
      const expected = i >= 2 ? 1 : 0;
      expect(notesOf(c.id).filter((w) => w.tookEffect), `${c.reference} notes`).toHaveLength(expected);
      expect(notesOf(c.id), `${c.reference} note requests`).toHaveLength(expected);
    }

    // Building it again changes nothing and posts nothing.
    const store = createArtifactStore(testIntegrations({ sandboxPort: sandbox.port, artifactsDir }));
    expect((await buildMorningDigest(database.db, database.queue, { store }, { batchId: planned.batchId })).kind).toBe("already_built");
    const [after] = await database.db.select().from(batches).where(eq(batches.id, planned.batchId));
    expect(after?.digestBuiltAt).toEqual(built.digestBuiltAt);
    expect(after?.digest).toEqual(digest);
    const notesNow = await database.db.select({ id: outbox.id }).from(outbox).where(inArray(outbox.runId, batchRuns.map((r) => r.id)));
    // 5 status write-backs + 3 notes.
    expect(notesNow).toHaveLength(8);
  });
});
