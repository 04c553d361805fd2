import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertDeliveries, alertDestinations, alerts, batches, cases, runs } from "@/drizzle/schema";
import type { AlertsConfig } from "@/lib/alerts/config";
import { deliverAlert } from "@/lib/alerts/deliveries";
import { createDestination } from "@/lib/alerts/destinations";
import { renderTestMessage, type AlertPayloadData, type WebhookPayload } from "@/lib/alerts/message";
import { alertDedupeKey, digestDedupeKey, notifyAlerts } from "@/lib/alerts/notify-alerts";
import { emailMessageIdFor, webhookIdFor } from "@/lib/alerts/send";
import { SITE_CHANGED_SPIKE_KIND } from "@/lib/alerts/vocabulary";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import type { MorningDigest } from "@/lib/batches/digest-types";
import { AppError } from "@/lib/errors/app-error";
import { syncOems } from "@/lib/oems/catalog";
import { pausePortal, resumePortal } from "@/lib/oems/pause-portal";
import { withJobs } from "@/lib/queue/job-queue";
import { failRun } from "@/lib/runs/fail-run";
import type { WorkerHandle } from "@/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startSmtpReceiver, type SmtpReceiver } from "../../support/smtp-receiver";
import { startWebhookReceiver, type WebhookReceiver } from "../../support/webhook-receiver";
import { quietLog, startTestWorker, testIntegrations } from "../../support/worker";
import { until as pollUntil } from "@/test/support/until";

/**
 * Alerts and the digest reach people, on real parts: a real graphile-worker delivers to a real SMTP
 * server (smtp-server) and a local HTTP receiver that verifies Standard Webhooks signatures with the
 * destination's own secret. Time is driven through the scan's `now`, never slept.
 */
let database: TestDatabase;
let worker: WorkerHandle;
let smtp: SmtpReceiver;
let hook: WebhookReceiver;
let config: AlertsConfig;
let emailId: string;
let webhookId: string;
let webhookSecret: string;
const integrations = testIntegrations();
const HOUR = 3_600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  smtp = await startSmtpReceiver();
  hook = await startWebhookReceiver();
  config = {
    smtpUrl: smtp.url,
    emailFrom: "Nightshift <nightshift@example.com>",
    reminderMs: 4 * HOUR,
    publicUrl: "https://nightshift.example.com",
    delivery: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300, timeoutMs: 3_000, claimMs: 10_000 },
  };
  worker = await startTestWorker(database.url, { integrations: { ...integrations, alerts: config } });
  const email = await createDestination(database.db, integrations.secretKeys, { input: { kind: "email", target: "Ops@Example.com" }, actor: "admin@example.com" });
  const webhook = await createDestination(database.db, integrations.secretKeys, { input: { kind: "webhook", target: hook.url }, actor: "admin@example.com" });
  expect(email.secret).toBeNull();
  expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  webhookSecret = webhook.secret!;
  hook.setSecret(webhookSecret);
  emailId = email.destination.id;
  webhookId = webhook.destination.id;
});

afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await hook?.close();
  await database?.destroy();
});

beforeEach(() => {
  hook.failNext(0);
  smtp.failNext(0);
});

const scan = (now: Date) => notifyAlerts(database.db, database.queue, { config, now });
const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

const until = <T,>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000) => pollUntil(probe, timeoutMs, { intervalMs: 100 });

function emailsWith(messageId: string) {
  return smtp.messages.filter((m) => m.parsed.messageId === messageId);
}
function hooksWith(id: string) {
  return hook.requests.filter((r) => r.id === id);
}

describe("a critical alert", () => {
  let alertId: string;
  const t0 = new Date();

  it("an auth pause produces exactly one email and one signed webhook; a second scan sends nothing", async () => {
    await pausePortal(database.db, { oemId: "arden", reason: "login refused", alert: "Arden Motors: submissions paused because the portal refused the login (login_refused)." });
    const [alert] = await database.db.select({ id: alerts.id }).from(alerts).where(eq(alerts.kind, "portal_paused"));
    alertId = alert!.id;

    expect(await scan(t0)).toMatchObject({ opened: 2, reminders: 0, digests: 0 });
    const [email] = await smtp.waitFor(1);
    const [request] = await hook.waitForDelivered(1);

    const emailKey = alertDedupeKey(alertId, emailId, "opened");
    expect(email!.to).toEqual(["ops@example.com"]);
    expect(email!.parsed.messageId).toBe(emailMessageIdFor(emailKey));
    expect(email!.parsed.subject).toBe("[Nightshift] Critical: Portal paused: credentials refused — Arden Motors");
    expect(email!.parsed.text).toContain("refused the login");
    expect(email!.parsed.text).toContain("https://nightshift.example.com/portals");
    expect(email!.parsed.html).toContain('href="https://nightshift.example.com/portals"');

    expect(request!.verified).toBe(true);
    expect(request!.id).toBe(webhookIdFor(alertDedupeKey(alertId, webhookId, "opened")));
    const payload = request!.payload as { type: string; data: AlertPayloadData };
    expect(payload.type).toBe("alert.opened");
    expect(payload.data).toMatchObject({ id: alertId, kind: "portal_paused", severity: "critical", oem: { id: "arden", label: "Arden Motors" }, reminder: null, link: { path: "/portals", url: "https://nightshift.example.com/portals" } });

    // Again, and twice at once: the dedupe keys and the scan's lock queue nothing more.
    expect(await scan(new Date(t0.getTime() + 60_000))).toMatchObject({ opened: 0, reminders: 0 });
    const both = await Promise.all([scan(new Date(t0.getTime() + 120_000)), scan(new Date(t0.getTime() + 120_000))]);
    expect(both.map((r) => r.opened + r.reminders)).toEqual([0, 0]);
    await settle();
    expect(smtp.messages).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    const rows = await database.db.select({ status: alertDeliveries.status, attempts: alertDeliveries.attempts }).from(alertDeliveries).where(eq(alertDeliveries.alertId, alertId));
    expect(rows).toEqual([
      { status: "delivered", attempts: 1 },
      { status: "delivered", attempts: 1 },
    ]);
  });

  it("is reminded once the reminder interval has passed while it stays open, and not before", async () => {
    expect(await scan(new Date(t0.getTime() + 4 * HOUR - 60_000))).toMatchObject({ reminders: 0 });
    expect(await scan(new Date(t0.getTime() + 4 * HOUR + 60_000))).toMatchObject({ reminders: 2 });
    expect(await scan(new Date(t0.getTime() + 4 * HOUR + 120_000))).toMatchObject({ reminders: 0 });
    await smtp.waitFor(2);
    const [, reminder] = await hook.waitForDelivered(2);
    expect(reminder!.payload).toMatchObject({ type: "alert.reminder", data: { id: alertId, reminder: 1 } });
    expect(smtp.messages[1]!.parsed.subject).toMatch(/^\[Nightshift\] Still open: Portal paused/);
    // The next one only an interval after the last.
    expect(await scan(new Date(t0.getTime() + 8 * HOUR - 60_000))).toMatchObject({ reminders: 0 });
    expect(await scan(new Date(t0.getTime() + 8 * HOUR + 120_000))).toMatchObject({ reminders: 2 });
    await hook.waitForDelivered(3);
    await smtp.waitFor(3);
  });

  it("sends 'resolved' to those who were told, once, when the portal is resumed", async () => {
    await resumePortal(database.db, { oemId: "arden", actor: "ops@example.com" });
    expect(await scan(new Date(t0.getTime() + 9 * HOUR))).toMatchObject({ resolved: 2, reminders: 0 });
    expect(await scan(new Date(t0.getTime() + 9 * HOUR + 60_000))).toMatchObject({ resolved: 0, reminders: 0 });
    const delivered = await hook.waitForDelivered(4);
    expect(delivered[3]!.payload).toMatchObject({ type: "alert.resolved", data: { id: alertId, resolvedAt: expect.any(String) as string } });
    await smtp.waitFor(4);
    expect(smtp.messages[3]!.parsed.subject).toMatch(/^\[Nightshift\] Resolved:/);
  });
});

describe("retries", () => {
  it("a receiver that fails twice gets it on the third try, with one webhook-id and one Message-ID, and nothing more", async () => {
    hook.failNext(2);
    smtp.failNext(2);
    await database.db.insert(alerts).values({ severity: "critical", kind: "night_late", message: "The nightly batch of Wednesday, December 2 started late." });
    const [alert] = await database.db.select({ id: alerts.id }).from(alerts).where(eq(alerts.kind, "night_late"));
    expect(await scan(new Date())).toMatchObject({ opened: 2 });

    const hookKey = webhookIdFor(alertDedupeKey(alert!.id, webhookId, "opened"));
    const mailKey = emailMessageIdFor(alertDedupeKey(alert!.id, emailId, "opened"));
    await until(() => hooksWith(hookKey).some((r) => r.status === 204) && emailsWith(mailKey).length === 1);
    await settle();
    expect(hooksWith(hookKey).map((r) => r.status)).toEqual([503, 503, 204]);
    expect(hooksWith(hookKey).every((r) => r.verified)).toBe(true);
    expect(emailsWith(mailKey)).toHaveLength(1);
    const rows = await database.db.select({ status: alertDeliveries.status, attempts: alertDeliveries.attempts, lastError: alertDeliveries.lastError }).from(alertDeliveries).where(eq(alertDeliveries.alertId, alert!.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["delivered", 3],
      ["delivered", 3],
    ]);
    // night_late is told once: no reminders even a day later.
    expect(await scan(new Date(Date.now() + 20 * HOUR))).toMatchObject({ reminders: 0 });
  });

  it("gives up after the bounded number of attempts and keeps the last error", async () => {
    hook.failNext(100, 500);
    const [destination] = await database.db.select().from(alertDestinations).where(eq(alertDestinations.id, webhookId));
    const [row] = await database.db
      .insert(alertDeliveries)
      .values({ destinationId: destination!.id, dedupeKey: `test:${randomUUID()}`, type: "test", message: renderTestMessage({ destinationId: webhookId, requestedBy: "admin@example.com", links: { publicUrl: null }, now: new Date() }) })
      .returning({ id: alertDeliveries.id });
    await database.queue.addJob({ task: "deliver_alert", payload: { deliveryId: row!.id } });
    const failed = await until(async () => {
      const [current] = await database.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, row!.id));
      return current?.status === "failed" ? current : null;
    });
    expect(failed.attempts).toBe(4);
    expect(failed.lastError).toBe("The webhook answered HTTP 500: receiver is down for a moment.");
    hook.failNext(0);
  });

  it("two senders of one delivery at once send it once (the claim)", async () => {
    const sendsBefore = hook.requests.length;
    const [row] = await database.db
      .insert(alertDeliveries)
      .values({ destinationId: webhookId, dedupeKey: `test:${randomUUID()}`, type: "test", message: renderTestMessage({ destinationId: webhookId, requestedBy: "admin@example.com", links: { publicUrl: null }, now: new Date() }) })
      .returning({ id: alertDeliveries.id });
    const deps = { queue: database.queue, log: quietLog, config, keys: integrations.secretKeys };
    const results = await Promise.all([deliverAlert(database.db, deps, { deliveryId: row!.id }), deliverAlert(database.db, deps, { deliveryId: row!.id })]);
    expect(results.sort()).toEqual(["delivered", "skipped"]);
    expect(hook.requests.length - sendsBefore).toBe(1);
  });

  it("a worker that died after sending but before recording it sends again with the same webhook-id (the receiver's idempotency key)", async () => {
    const [row] = await database.db
      .insert(alertDeliveries)
      .values({ destinationId: webhookId, dedupeKey: `test:${randomUUID()}`, type: "test", message: renderTestMessage({ destinationId: webhookId, requestedBy: "admin@example.com", links: { publicUrl: null }, now: new Date() }) })
      .returning({ id: alertDeliveries.id, dedupeKey: alertDeliveries.dedupeKey });
    const id = webhookIdFor(row!.dedupeKey);
    await database.queue.addJob({ task: "deliver_alert", payload: { deliveryId: row!.id } });
    await until(() => hooksWith(id).some((r) => r.status === 204));
    // As if the send had happened and the worker died before its update: pending, the claim lapsed, overdue.
    await database.db.update(alertDeliveries).set({ status: "pending", claimedUntil: sql`now() - interval '1 second'`, nextAttemptAt: sql`now() - interval '2 minutes'` }).where(eq(alertDeliveries.id, row!.id));
    expect(await scan(new Date())).toMatchObject({ requeued: 1 });
    await until(() => hooksWith(id).filter((r) => r.status === 204).length === 2);
    expect(new Set(hooksWith(id).map((r) => r.id))).toEqual(new Set([id]));
    const [after] = await database.db.select({ status: alertDeliveries.status }).from(alertDeliveries).where(eq(alertDeliveries.id, row!.id));
    expect(after!.status).toBe("delivered");
    expect(await scan(new Date())).toMatchObject({ requeued: 0 });
  });

  it("an email destination without SMTP_URL fails at once, saying what to set", async () => {
    const [row] = await database.db
      .insert(alertDeliveries)
      .values({ destinationId: emailId, dedupeKey: `test:${randomUUID()}`, type: "test", message: renderTestMessage({ destinationId: emailId, requestedBy: "admin@example.com", links: { publicUrl: null }, now: new Date() }) })
      .returning({ id: alertDeliveries.id });
    const result = await deliverAlert(database.db, { queue: database.queue, log: quietLog, config: { ...config, smtpUrl: null }, keys: integrations.secretKeys }, { deliveryId: row!.id });
    expect(result).toBe("failed");
    const [after] = await database.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, row!.id));
    expect(after).toMatchObject({ status: "failed", attempts: 1 });
    expect(after!.lastError).toMatch(/^No SMTP server is configured: set SMTP_URL/);
  });
});

describe("signatures", () => {
  it("a receiver's verification fails for a wrong secret, a changed body or a changed id", () => {
    const delivered = hook.requests.find((r) => r.verified)!;
    const headers = { "webhook-id": delivered.id!, "webhook-timestamp": delivered.timestamp!, "webhook-signature": delivered.signature! };
    expect(() => new Webhook(`whsec_${Buffer.from("another destination's secret!!").toString("base64")}`).verify(delivered.body, headers)).toThrow(/signature/i);
    const own = hook.requests.find((r) => r.verified)!;
    expect(own.verified).toBe(true);
    // The receiver itself refuses a forged request with 401.
    expect(() => new Webhook(`whsec_${Buffer.from("x".repeat(32)).toString("base64")}`).verify(`${delivered.body} `, headers)).toThrow();
  });

  it("a receiver holding the wrong secret answers 401 and the delivery is retried, then failed", async () => {
    const wrong = `whsec_${Buffer.from("not the destination's secret at all").toString("base64")}`;
    const right = hook.requests.length;
    hook.setSecret(wrong);
    try {
      const [row] = await database.db
        .insert(alertDeliveries)
        .values({ destinationId: webhookId, dedupeKey: `test:${randomUUID()}`, type: "test", message: renderTestMessage({ destinationId: webhookId, requestedBy: "a", links: { publicUrl: null }, now: new Date() }) })
        .returning({ id: alertDeliveries.id });
      await database.queue.addJob({ task: "deliver_alert", payload: { deliveryId: row!.id } });
      const failed = await until(async () => {
        const [current] = await database.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, row!.id));
        return current?.status === "failed" ? current : null;
      });
      expect(failed.lastError).toMatch(/^The webhook answered HTTP 401: bad signature/);
      expect(hook.requests.slice(right).every((r) => !r.verified && r.status === 401)).toBe(true);
    } finally {
      hook.setSecret(webhookSecret);
    }
  });
});

const DIGEST: MorningDigest = {
  builtAt: new Date().toISOString(),
  reason: "finished",
  deadline: new Date().toISOString(),
  eligible: 14,
  submitted: 12,
  rehearsed: 0,
  unfinished: 0,
  cancelled: 0,
  terminalFails: 2,
  metSla: true,
  headline: "All 14 cases filed or explained by 5:48 AM, 1 h 12 min before the deadline; 2 need ops.",
  groups: [{ oemId: "borealis", fingerprint: "f1", errorClass: "portal_rejected", errorCode: "field_invalid", owner: "ops", count: 2, runs: [] }],
};

describe("the morning digest", () => {
  it("is sent once per night per destination, readable at a glance, with links into the dashboard", async () => {
    // Only the digest counts here; earlier tests' secret is back for the receiver.
    const secretless = hook.requests.length;
    const { secret } = await createDestination(database.db, integrations.secretKeys, { input: { kind: "webhook", target: hook.url, receivesAlerts: false }, actor: "admin@example.com" });
    hook.setSecret(secret!);
    await database.db.update(alertDestinations).set({ enabled: false }).where(eq(alertDestinations.id, webhookId));
    const now = new Date();
    const [batch] = await database.db
      .insert(batches)
      .values({ trigger: "cron", status: "finished", nightKey: "2026-12-02", deadline: now, digest: DIGEST, digestBuiltAt: now, metSla: true })
      .returning({ id: batches.id });

    expect(await scan(now)).toMatchObject({ digests: 2 });
    expect(await scan(new Date(now.getTime() + 60_000))).toMatchObject({ digests: 0 });
    expect(await scan(new Date(now.getTime() + 2 * HOUR))).toMatchObject({ digests: 0 });

    const email = await until(() => smtp.messages.find((m) => m.parsed.messageId === emailMessageIdFor(digestDedupeKey("2026-12-02", emailId))));
    expect(email.parsed.subject).toBe("[Nightshift] Wednesday, December 2: SLA met — 12 submitted, 2 failed");
    expect(email.parsed.text).toContain(DIGEST.headline);
    expect(email.parsed.text).toContain("Submitted 12 · Failed 2 · of 14");
    expect(email.parsed.text).toContain("Borealis Machinery: 2 × Portal rejected (field_invalid) — Ops");
    expect(email.parsed.text).toContain(`https://nightshift.example.com/batches/${batch!.id}`);
    const [digest] = await until(() => {
      const found = hook.requests.slice(secretless).filter((r) => r.verified && r.status === 204);
      return found.length > 0 ? found : null;
    });
    expect(digest!.payload).toMatchObject({
      type: "digest.ready",
      data: { batchId: batch!.id, night: "2026-12-02", metSla: true, submitted: 12, failed: 2, groups: [{ oem: { id: "borealis" }, count: 2, owner: "ops", link: { url: "https://nightshift.example.com/triage?oem=borealis" } }] },
    });
    await settle();
    const digests = await database.db.select({ key: alertDeliveries.dedupeKey }).from(alertDeliveries).where(eq(alertDeliveries.type, "digest.ready"));
    expect(digests).toHaveLength(2);
    await database.db.update(alertDestinations).set({ enabled: true }).where(eq(alertDestinations.id, webhookId));
    hook.setSecret(webhookSecret);
  });
});

describe("the site_changed spike", () => {
  it("is raised once at three site_changed fails on one portal within 30 minutes, told, and resolved when the portal submits again", async () => {
    const store = createArtifactStore(integrations);
    const failOne = async (n: number) => {
      const [row] = await database.db.insert(cases).values({ crmId: `spike-${n}-${randomUUID()}`, reference: `SP-${n}`, oemId: "corvid", kind: "safety_incident", crmStatus: "new" }).returning({ id: cases.id });
      const [run] = await database.db.insert(runs).values({ caseId: row!.id, status: "running" }).returning({ id: runs.id });
      await withJobs(database.db, database.queue, (tx) =>
        failRun(tx, { store }, { runId: run!.id, classification: { errorClass: "site_changed", code: "selector_missing", message: "no #serial field" }, failingStep: "fill form", lastGoodStep: "open form", portalUrl: null }),
      );
    };
    const spikes = () => database.db.select({ id: alerts.id, resolvedAt: alerts.resolvedAt }).from(alerts).where(eq(alerts.kind, SITE_CHANGED_SPIKE_KIND));
    await failOne(1);
    await failOne(2);
    expect(await spikes()).toHaveLength(0);
    await Promise.all([failOne(3), failOne(4)]);
    const [spike] = await spikes();
    expect(await spikes()).toHaveLength(1);

    expect(await scan(new Date())).toMatchObject({ opened: 2 });
    const request = await until(() => hook.requests.find((r) => r.verified && (r.payload as WebhookPayload).type === "alert.opened" && (r.payload as { data: { id: string } }).data.id === spike!.id));
    expect(request.payload).toMatchObject({ data: { kind: SITE_CHANGED_SPIKE_KIND, severity: "critical", oem: { id: "corvid" }, link: { path: "/triage?oem=corvid" } } });

    // The portal recovers: a run on it is submitted.
    const [row] = await database.db.insert(cases).values({ crmId: `spike-ok-${randomUUID()}`, reference: "SP-OK", oemId: "corvid", kind: "safety_incident", crmStatus: "new" }).returning({ id: cases.id });
    await database.db.insert(runs).values({ caseId: row!.id, status: "submitted", finishedAt: sql`now() + interval '1 second'` });
    const result = await scan(new Date(Date.now() + 2_000));
    expect(result).toMatchObject({ spikesResolved: 1, resolved: 2 });
    const [after] = await spikes();
    expect(after!.resolvedAt).not.toBeNull();
  });
});

describe("destinations", () => {
  it.each([
    [{ kind: "email", target: "not an address" }, "Enter an email address, e.g. ops@example.com."],
    [{ kind: "webhook", target: "ftp://hooks.example.com/x" }, "Enter a webhook URL that starts with http:// or https://."],
    [{ kind: "webhook", target: "javascript:alert(1)" }, "Enter a webhook URL that starts with http:// or https://."],
    [{ kind: "webhook", target: "https://hooks.example.com/x", receivesAlerts: false, receivesDigest: false }, "Choose at least one thing to receive: critical alerts or the morning digest."],
    [{ kind: "sms", target: "+15555550100" }, "Choose email or webhook."],
  ])("refuses %j with a sentence and changes nothing", async (input, message) => {
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(alertDestinations);
    const error = await createDestination(database.db, integrations.secretKeys, { input, actor: "admin@example.com" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("bad_request");
    expect((error as AppError).message).toBe(message);
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(alertDestinations);
    expect(after).toEqual(before);
  });

  it("keeps the webhook secret sealed: not in the row in clear, not in the audit log", async () => {
    const { secret, destination } = await createDestination(database.db, integrations.secretKeys, { input: { kind: "webhook", target: "https://hooks.example.com/services/T000/B000/abcdefgh" }, actor: "admin@example.com" });
    expect(destination.target).toBe("https://hooks.example.com/…efgh");
    const dump = JSON.stringify(await database.db.execute(sql`select d.*, (select json_agg(a) from audit_log a) as audit from alert_destinations d where d.id = ${destination.id}`));
    expect(dump).not.toContain(secret!.slice(6));
    const audit = JSON.stringify(await database.db.execute(sql`select details from audit_log where action = 'add_alert_destination'`));
    expect(audit).toContain("https://hooks.example.com/…efgh");
    expect(audit).not.toContain("/services/T000");
    await database.db.delete(alertDestinations).where(and(eq(alertDestinations.id, destination.id)));
  });
});
