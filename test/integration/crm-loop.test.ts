import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, attempts, cases, runs, webhookDeliveries } from "@/drizzle/schema";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { handleCrmWebhook } from "@/lib/webhooks/crm-webhook";
import type { WorkerHandle } from "@/jobs/worker";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { quietLog, startTestWorker, testIntegrations } from "../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, WEBHOOK_SECRET, type CaseBody } from "./sandbox/helpers";

/**
 * The value path on real parts: the sandbox CRM calls the webhook (Standard Webhooks over HTTP),
 * a real worker files the case in Chromium on the sandbox portal, and the CRM hears the outcome
 * once. (The HTTP receiver here hands the raw request to the same handler the Next route uses;
 * the end-to-end suite covers the route itself.)
 */
let database: TestDatabase;
let sandbox: Sandbox;
let receiver: Server;
let worker: WorkerHandle;
let artifactsDir: string;
/** Answer this many case.urgent deliveries with 503 after handling them, so the CRM delivers them again. */
let replayUrgent = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-loop-artifacts-"));
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      handleCrmWebhook(
        { db: database.db, queue: database.queue, crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), secret: WEBHOOK_SECRET, log: quietLog, maxAttempts: 3 },
        { headers, body: Buffer.concat(chunks) },
      ).then(
        (result) => {
          const isUrgent = Buffer.concat(chunks).toString().includes('"case.urgent"');
          if (isUrgent && replayUrgent > 0) {
            replayUrgent -= 1;
            res.writeHead(503).end();
            return;
          }
          res.writeHead(result.status, { "content-type": "application/json" }).end(JSON.stringify(result.body));
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  sandbox = await startTestSandbox({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, webhookSecret: WEBHOOK_SECRET });
  worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), concurrency: 2 });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await new Promise((r) => receiver?.close(r));
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined | false | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const VALID: Record<string, Record<string, unknown>> = {
  arden: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" },
  borealis: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-004512" },
  corvid: { oem: "corvid", kind: "safety_incident", unitId: "CI-4821-0093" },
};

async function writesFor(crmId: string) {
  const all = (await admin<{ writes: Array<{ caseId: string | null; method: string; tookEffect: boolean }> }>(sandbox, "GET", "/admin/crm/writes")).body.writes;
  return all.filter((w) => w.caseId === crmId && w.method === "PATCH" && w.tookEffect);
}

async function filingsFor(reference: string) {
  const all = (await admin<{ filings: Array<{ reference: string; confirmationNumber: string }> }>(sandbox, "GET", "/admin/filings")).body.filings;
  return all.filter((f) => f.reference === reference);
}

describe("the CRM loop", () => {
  it.each(["arden", "borealis", "corvid"])("files a new %s case made urgent in the CRM and writes the confirmation back once", async (oem) => {
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: VALID[oem] });
    expect(created.status).toBe(201);
    const crmId = created.body.id;
    // case.created arrives by webhook and queues the case; case.urgent files it at once.
    await until(async () => (await database.db.select().from(cases).where(eq(cases.crmId, crmId)))[0]);
    await admin(sandbox, "POST", `/admin/crm/cases/${crmId}/urgent`);

    const after = await until(async () => {
      const c = (await crm<CaseBody>(sandbox, "GET", `/cases/${crmId}`)).body;
      return c.status === "submitted" ? c : null;
    }, 90_000);
    const [filing] = await filingsFor(created.body.reference);
    expect(after.confirmationNumber).toBe(filing?.confirmationNumber);
    expect(await filingsFor(created.body.reference)).toHaveLength(1);
    expect(await writesFor(crmId)).toHaveLength(1);

    const [ours] = await database.db.select().from(cases).where(eq(cases.crmId, crmId));
    expect(ours).toMatchObject({ status: "submitted", confirmationNumber: after.confirmationNumber });
    const [run] = await database.db.select().from(runs).where(eq(runs.caseId, ours!.id));
    const [attempt] = await database.db.select().from(attempts).where(eq(attempts.runId, run!.id));
    expect(attempt?.status).toBe("succeeded");
    const stepNames = (attempt?.steps as Array<{ name: string; status: string }>).map((s) => s.name);
    expect(stepNames[0]).toBe("login");
    expect(stepNames).toContain("check_existing");
    expect(stepNames).toContain("submit");
    const evidence = await database.db.select().from(artifacts).where(eq(artifacts.runId, run!.id));
    expect(evidence.map((e) => e.kind)).toEqual(["screenshot"]);
    expect(evidence[0]?.key).toMatch(new RegExp(`^runs/${run!.id}/1/final\\.png$`));
  });

  it("gives one filing and one CRM write for a webhook delivered five times and a case made urgent twice while running", async () => {
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: VALID.arden });
    const crmId = created.body.id;
    await until(async () => (await database.db.select().from(cases).where(eq(cases.crmId, crmId)))[0]);
    // Slow the portal so the second "urgent" lands while the first run is running.
    sandbox.setFaults({ portals: { arden: { latencyMs: 300 } } });
    let webhookId = "";
    try {
      // The first urgent delivery is answered 503 four times after it was handled: the CRM
      // delivers the same signed message (same webhook-id) five times in all.
      replayUrgent = 4;
      const first = await admin<{ webhookId: string }>(sandbox, "POST", `/admin/crm/cases/${crmId}/urgent`);
      expect(first.status).toBe(200);
      webhookId = first.body.webhookId;
      await until(async () => (await database.db.select().from(runs).innerJoin(cases, eq(cases.id, runs.caseId)).where(eq(cases.crmId, crmId)))[0]?.runs.status === "running");
      await until(() => Promise.resolve(replayUrgent === 0), 30_000);
      // A second "urgent" while the run is running.
      await admin(sandbox, "POST", `/admin/crm/cases/${crmId}/urgent`);
    } finally {
      replayUrgent = 0;
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 } } });
    }
    await until(async () => (await crm<CaseBody>(sandbox, "GET", `/cases/${crmId}`)).body.status === "submitted", 90_000);
    await new Promise((r) => setTimeout(r, 1500)); // let any stray duplicate surface
    expect(await filingsFor(created.body.reference)).toHaveLength(1);
    expect(await writesFor(crmId)).toHaveLength(1);
    const caseRuns = await database.db.select({ id: runs.id }).from(runs).innerJoin(cases, eq(cases.id, runs.caseId)).where(eq(cases.crmId, crmId));
    expect(caseRuns).toHaveLength(1);
    // The CRM's fifth try comes after its backoff (0.5 + 1 + 2 + 4 s).
    const deliveries = await until(async () => {
      const rows = await database.db.select({ verdict: webhookDeliveries.verdict }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId));
      return rows.length >= 5 ? rows : null;
    }, 30_000);
    expect(deliveries.map((d) => d.verdict).sort()).toEqual(["accepted", "duplicate", "duplicate", "duplicate", "duplicate"]);
  });
});
