import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cases, runs, webhookDeliveries } from "@/drizzle/schema";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { handleCrmWebhook, MAX_WEBHOOK_BYTES, type WebhookDeps } from "@/lib/webhooks/crm-webhook";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { quietLog } from "../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, WEBHOOK_SECRET, type CaseBody } from "./sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;
let deps: WebhookDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  deps = { db: database.db, queue: database.queue, crm: new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN }), secret: WEBHOOK_SECRET, log: quietLog, maxAttempts: 3 };
});
afterAll(async () => {
  await sandbox.close();
  await database.destroy();
});
beforeEach(async () => {
  await database.db.execute(sql`truncate webhook_deliveries, runs, cases cascade`);
  await database.db.execute(sql`delete from graphile_worker._private_jobs`);
});

async function createCrmCase(overrides: Record<string, unknown> = {}): Promise<CaseBody> {
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1HGBH41JXMN109186", ...overrides } });
  expect(created.status).toBe(201);
  return created.body;
}

function signed(event: unknown, options: { id?: string; at?: Date; secret?: string; raw?: string } = {}) {
  const body = options.raw ?? JSON.stringify(event);
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const signature = new Webhook(options.secret ?? WEBHOOK_SECRET).sign(id, at, body);
  return {
    headers: new Headers({ "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature }),
    body: Buffer.from(body),
  };
}

async function counts() {
  const [c] = await database.db.select({ n: count() }).from(cases);
  const [r] = await database.db.select({ n: count() }).from(runs);
  const jobs = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker._private_jobs`);
  return { cases: c!.n, runs: r!.n, jobs: jobs[0]!.n };
}

describe("CRM webhook", () => {
  it("accepts case.created, stores the authoritative case from the CRM and queues it for the next batch", async () => {
    const crmCase = await createCrmCase();
    const result = await handleCrmWebhook(deps, signed({ type: "case.created", data: { caseId: crmCase.id } }));
    expect(result).toEqual({ status: 202, body: { ok: true, verdict: "accepted" } });
    const [stored] = await database.db.select().from(cases).where(eq(cases.crmId, crmCase.id));
    expect(stored).toMatchObject({ reference: crmCase.reference, oemId: "arden", kind: "warranty_claim", status: "pending", crmStatus: "new" });
    expect(stored?.formData).toMatchObject({ unit: { id: "1HGBH41JXMN109186" } });
    expect(await counts()).toMatchObject({ runs: 0, jobs: 0 });
  });

  it("enqueues case.urgent at once at high priority", async () => {
    const crmCase = await createCrmCase();
    const result = await handleCrmWebhook(deps, signed({ type: "case.urgent", data: { caseId: crmCase.id } }));
    expect(result.status).toBe(202);
    expect(result.body.runId).toBeDefined();
    const jobs = await database.db.execute<{ task_identifier: string; priority: number; flags: Record<string, boolean> }>(
      sql`select task_identifier, priority, flags from graphile_worker.jobs`,
    );
    expect(jobs).toEqual([{ task_identifier: "submit_case", priority: -10, flags: { "oem:arden": true } }]);
  });

  it("applies the same delivery five times only once", async () => {
    const crmCase = await createCrmCase();
    const delivery = signed({ type: "case.urgent", data: { caseId: crmCase.id } });
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push((await handleCrmWebhook(deps, delivery)).body.verdict);
    expect(verdicts).toEqual(["accepted", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(await counts()).toEqual({ cases: 1, runs: 1, jobs: 1 });
  });

  it("keeps one open run when a case is made urgent twice by different deliveries", async () => {
    const crmCase = await createCrmCase();
    const first = await handleCrmWebhook(deps, signed({ type: "case.urgent", data: { caseId: crmCase.id } }));
    const second = await handleCrmWebhook(deps, signed({ type: "case.urgent", data: { caseId: crmCase.id } }));
    expect(second.body.runId).toBe(first.body.runId);
    expect(await counts()).toEqual({ cases: 1, runs: 1, jobs: 1 });
  });

  it("rejects forged, stale, oversized and malformed deliveries with 401/401/413/400 and changes nothing", async () => {
    const crmCase = await createCrmCase();
    const event = { type: "case.urgent", data: { caseId: crmCase.id } };
    const before = await counts();
    const forged = signed(event, { secret: `whsec_${Buffer.from("someone-else-entirely-0123456789").toString("base64")}` });
    const stale = signed(event, { at: new Date(Date.now() - 6 * 60_000) });
    const unsigned = { headers: new Headers(), body: Buffer.from(JSON.stringify(event)) };
    const malformed = signed(null, { raw: "{not json" });
    const wrongShape = signed({ type: "case.deleted", data: {} });

    expect(await handleCrmWebhook(deps, forged)).toMatchObject({ status: 401, body: { reason: "The webhook signature does not match." } });
    const staleResult = await handleCrmWebhook(deps, stale);
    expect(staleResult.status).toBe(401);
    expect(staleResult.body.reason).toMatch(/5-minute tolerance/);
    expect(await handleCrmWebhook(deps, unsigned)).toMatchObject({ status: 401 });
    expect(await handleCrmWebhook(deps, { headers: forged.headers, body: "oversized" })).toMatchObject({ status: 413 });
    expect(await handleCrmWebhook(deps, { headers: forged.headers, body: Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 32) })).toMatchObject({ status: 413 });
    expect(await handleCrmWebhook(deps, malformed)).toMatchObject({ status: 400, body: { reason: "The body is not valid JSON." } });
    const shape = await handleCrmWebhook(deps, wrongShape);
    expect(shape.status).toBe(400);
    expect(shape.body.reason).toMatch(/type/);

    expect(await counts()).toEqual(before);
    const verdicts = await database.db.select({ verdict: webhookDeliveries.verdict, status: webhookDeliveries.httpStatus }).from(webhookDeliveries);
    expect(verdicts.map((v) => v.status).sort()).toEqual([400, 400, 401, 401, 401, 413, 413]);
    expect(verdicts.every((v) => v.verdict === "rejected")).toBe(true);
  });

  it("answers 422 for a case of an OEM Nightshift does not file for, and for a case the CRM does not know", async () => {
    const crmCase = await createCrmCase();
    expect((await admin(sandbox, "POST", `/admin/crm/cases/${crmCase.id}/foreign-oem`, { oem: "dunmore" })).status).toBe(200);
    const foreign = await handleCrmWebhook(deps, signed({ type: "case.updated", data: { caseId: crmCase.id } }));
    expect(foreign).toMatchObject({ status: 422, body: { reason: `Unknown OEM "dunmore" on case ${crmCase.id}.` } });
    const unknown = await handleCrmWebhook(deps, signed({ type: "case.created", data: { caseId: "CRM-999999" } }));
    expect(unknown).toMatchObject({ status: 422, body: { reason: "The CRM does not know case CRM-999999." } });
    expect(await counts()).toMatchObject({ cases: 0, runs: 0 });
  });

  it("answers 503 while the CRM cannot be reached, so the CRM delivers again later", async () => {
    const crmCase = await createCrmCase();
    sandbox.setFaults({ crm: { error500Rate: 1 } });
    try {
      const result = await handleCrmWebhook(deps, signed({ type: "case.created", data: { caseId: crmCase.id } }));
      expect(result.status).toBe(503);
    } finally {
      sandbox.setFaults({ crm: { error500Rate: 0 } });
    }
    expect(await counts()).toMatchObject({ cases: 0 });
  });
});
