import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, crm, startReceiver, startTestSandbox, UNITS, waitFor, WEBHOOK_SECRET, type CaseBody } from "./helpers.js";

interface DeliveryBody {
  id: string;
  type: string;
  caseId: string;
  state: string;
  attempts: { attempt: number; status: number | null }[];
}

describe("sandbox CRM webhooks", () => {
  let sandbox: Sandbox | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  afterEach(async () => {
    await sandbox?.close();
    await receiver?.close();
    sandbox = undefined;
    receiver = undefined;
  });

  async function setup(statuses: number[] = [], maxAttempts = 8): Promise<{ sandbox: Sandbox; receiver: NonNullable<typeof receiver> }> {
    receiver = await startReceiver(statuses);
    sandbox = await startTestSandbox({ webhookUrl: receiver.url, webhookSecret: WEBHOOK_SECRET, webhookRetry: { baseDelayMs: 20, maxAttempts } });
    return { sandbox, receiver };
  }

  it("delivers case.created signed with Standard Webhooks, verifiable with the shared secret", async () => {
    const { sandbox, receiver } = await setup();
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "recall_completion", unitId: UNITS.arden } });
    const hit = await waitFor(() => receiver.received[0]);
    const headers = {
      "webhook-id": String(hit.headers["webhook-id"]),
      "webhook-timestamp": String(hit.headers["webhook-timestamp"]),
      "webhook-signature": String(hit.headers["webhook-signature"]),
    };
    const payload = new Webhook(WEBHOOK_SECRET).verify(hit.body, headers) as { type: string; timestamp: string; data: { caseId: string } };
    expect(payload.type).toBe("case.created");
    expect(payload.data).toEqual({ caseId: created.body.id });
    expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
    expect(headers["webhook-id"]).toMatch(/^msg_/);
    // A forged secret does not verify.
    const other = new Webhook(`whsec_${Buffer.from("some-other-secret-of-32-bytes!!!").toString("base64")}`);
    expect(() => other.verify(hit.body, headers)).toThrow();
  });

  it("never blocks the API response on the webhook receiver", async () => {
    const { sandbox, receiver } = await setup([500, 500, 500]);
    const started = Date.now();
    const res = await crm(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: UNITS.arden } });
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(500);
    await waitFor(() => receiver.received.length >= 1);
  });

  it("retries a failed delivery with backoff, reusing the same webhook-id, until it succeeds", async () => {
    const { sandbox, receiver } = await setup([500, 503]);
    await crm(sandbox, "POST", "/cases", { body: { oem: "borealis", kind: "warranty_claim", unitId: UNITS.borealis } });
    await waitFor(() => receiver.received.length >= 3);
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(new Set(ids).size).toBe(1);
    const gaps = receiver.received.slice(1).map((r, i) => r.at - (receiver.received[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    // Every try is signed afresh and verifies.
    for (const hit of receiver.received) {
      expect(() =>
        new Webhook(WEBHOOK_SECRET).verify(hit.body, {
          "webhook-id": String(hit.headers["webhook-id"]),
          "webhook-timestamp": String(hit.headers["webhook-timestamp"]),
          "webhook-signature": String(hit.headers["webhook-signature"]),
        }),
      ).not.toThrow();
    }
    const list = await admin<{ deliveries: DeliveryBody[] }>(sandbox, "GET", "/admin/crm/deliveries");
    expect(list.body.deliveries).toHaveLength(1);
    expect(list.body.deliveries[0]).toMatchObject({ state: "delivered", type: "case.created" });
    expect(list.body.deliveries[0]?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
  });

  it("gives up after the configured number of tries and records the delivery as failed", async () => {
    const { sandbox, receiver } = await setup([500, 500, 500, 500], 3);
    await crm(sandbox, "POST", "/cases", { body: { oem: "corvid", kind: "safety_incident", unitId: UNITS.corvid } });
    await waitFor(() => sandbox.state.deliveries[0]?.state === "failed");
    expect(receiver.received).toHaveLength(3);
  });

  it("emits case.urgent and case.updated from the admin endpoints, and nothing for status write-backs", async () => {
    const { sandbox, receiver } = await setup();
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "corvid", kind: "safety_incident", unitId: UNITS.corvid } });
    await waitFor(() => receiver.received.length === 1);
    await crm(sandbox, "PATCH", `/cases/${created.body.id}`, { body: { status: "in_progress" }, idempotencyKey: "wb-1" });
    const urgent = await admin<{ webhookId: string }>(sandbox, "POST", `/admin/crm/cases/${created.body.id}/urgent`);
    expect(urgent.status).toBe(200);
    expect(urgent.body.webhookId).toMatch(/^msg_/);
    await admin(sandbox, "POST", `/admin/crm/cases/${created.body.id}/touch`);
    await waitFor(() => receiver.received.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(types.sort()).toEqual(["case.created", "case.updated", "case.urgent"]);
    expect(sandbox.state.cases.get(created.body.id)?.priority).toBe("urgent");
  });
});
