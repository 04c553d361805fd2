import { eq } from "drizzle-orm";
import { withJobs } from "@/lib/queue/job-queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, outbox } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { enqueueCrmUpdate } from "@/lib/crm/outbox";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestWorker, testIntegrations } from "../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "./sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
});
afterAll(async () => {
  await sandbox.close();
  await database.destroy();
});

interface Write {
  caseId: string | null;
  method: string;
  status: number;
  tookEffect: boolean;
  outcome: string;
}

async function storedCase(): Promise<{ crmId: string; caseId: string }> {
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-45120" } });
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const fetched = await connector.fetchCase(created.body.id);
  const stored = await upsertCaseFromCrm(database.db, fetched!);
  return { crmId: created.body.id, caseId: stored.id };
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}

describe("CRM write-back", () => {
  it("lands a status exactly once after the CRM returned 500s for a while", async () => {
    const { crmId, caseId } = await storedCase();
    sandbox.setFaults({ crm: { error500Rate: 1 } });
    await withJobs(database.db, database.queue, (tx) =>
      enqueueCrmUpdate(tx, { kind: "status", caseId, runId: null, idempotencyKey: `test:${caseId}:submitted`, payload: { status: "submitted", confirmationNumber: "BOR-12345678" } }),
    );
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN }) });
    try {
      // The outage: every call fails for a while, and the delivery keeps being rescheduled.
      await until(async () => {
        const [row] = await database.db.select({ attempts: outbox.deliveryAttempts }).from(outbox).where(eq(outbox.caseId, caseId));
        return (row?.attempts ?? 0) >= 3;
      });
      sandbox.setFaults({ crm: { error500Rate: 0 } });
      await until(async () => {
        const [row] = await database.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.caseId, caseId));
        return row?.status === "delivered";
      });
    } finally {
      sandbox.setFaults({ crm: { error500Rate: 0 } });
      await worker.stop();
    }
    const writes = (await admin<{ writes: Write[] }>(sandbox, "GET", "/admin/crm/writes")).body.writes.filter((w) => w.caseId === crmId && w.method === "PATCH");
    expect(writes.filter((w) => w.status === 500).length).toBeGreaterThanOrEqual(3);
    expect(writes.filter((w) => w.tookEffect)).toHaveLength(1);
    const after = await crm<CaseBody>(sandbox, "GET", `/cases/${crmId}`);
    expect(after.body).toMatchObject({ status: "submitted", confirmationNumber: "BOR-12345678" });
    const [ours] = await database.db.select({ crmStatus: cases.crmStatus }).from(cases).where(eq(cases.id, caseId));
    expect(ours?.crmStatus).toBe("submitted");
  });

  it("never queues the same outcome twice, and a replayed delivery is not a second effect", async () => {
    const { crmId, caseId } = await storedCase();
    const entry = { kind: "status" as const, caseId, runId: null, idempotencyKey: `test:${caseId}:needs_review`, payload: { status: "needs_review" as const, message: "VIN rejected" } };
    const first = await withJobs(database.db, database.queue, (tx) => enqueueCrmUpdate(tx, entry));
    const second = await withJobs(database.db, database.queue, (tx) => enqueueCrmUpdate(tx, entry));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    // A write whose response was lost is sent again with the same key: the CRM applies it once.
    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    await connector.updateStatus(crmId, entry.payload, entry.idempotencyKey);
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN }) });
    try {
      await until(async () => {
        const [row] = await database.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.caseId, caseId));
        return row?.status === "delivered";
      });
    } finally {
      await worker.stop();
    }
    const writes = (await admin<{ writes: Write[] }>(sandbox, "GET", "/admin/crm/writes")).body.writes.filter((w) => w.caseId === crmId && w.method === "PATCH");
    expect(writes.map((w) => w.outcome)).toEqual(["applied", "replayed"]);
  });
});
