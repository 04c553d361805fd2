import { and, eq } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { z } from "zod";
import { webhookDeliveries } from "@/drizzle/schema";
import type { CrmConnector } from "../crm/connector";
import { CrmError } from "../crm/connector";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { upsertCaseFromCrm } from "../cases/upsert-case";
import { isKnownOem } from "../oems/catalog";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { PRIORITY } from "../queue/tasks";
import { enqueueRun } from "../runs/enqueue-run";

/** Bodies above this are refused (413) before they are read in full or parsed. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

const crmWebhookEventSchema = z.object({
  type: z.enum(["case.created", "case.updated", "case.urgent"]),
  timestamp: z.string().optional(),
  data: z.looseObject({ caseId: z.string().min(1).max(100) }),
});
export type CrmWebhookEvent = z.infer<typeof crmWebhookEventSchema>;

export interface WebhookDeps {
  db: Db;
  queue: JobQueue;
  crm: CrmConnector;
  /** Standard Webhooks secret (`whsec_…`). */
  secret: string;
  log: Logger;
  maxAttempts: number;
}

export interface WebhookResult {
  status: 200 | 202 | 400 | 401 | 413 | 422 | 503;
  body: { ok: boolean; verdict: "accepted" | "duplicate" | "rejected"; reason?: string; runId?: string };
}

const reject = (status: WebhookResult["status"], reason: string): WebhookResult => ({ status, body: { ok: false, verdict: "rejected", reason } });

/**
 * Verifies a CRM webhook (Standard Webhooks), de-duplicates it by `webhook-id`, fetches the
 * authoritative case through the connector, stores it and — for `case.urgent` — enqueues its run.
 * No browser work happens here. Every delivery is recorded with its verdict.
 */
export async function handleCrmWebhook(deps: WebhookDeps, request: { headers: Headers; body: Buffer | "oversized" }): Promise<WebhookResult> {
  const webhookId = request.headers.get("webhook-id");
  const seen: Seen = {};
  const result =
    request.body === "oversized" || request.body.byteLength > MAX_WEBHOOK_BYTES
      ? reject(413, `Body larger than ${MAX_WEBHOOK_BYTES / 1024} KiB.`)
      : await evaluate(deps, { headers: request.headers, body: request.body }, webhookId, seen);
  if (result.body.verdict !== "accepted") {
    await recordDelivery(deps.db, { webhookId, eventType: seen.eventType ?? null, result, caseCrmId: seen.caseCrmId ?? null }).catch((error: unknown) =>
      deps.log.warn({ err: error }, "could not record a webhook delivery"),
    );
  }
  deps.log.info({ webhookId, status: result.status, verdict: result.body.verdict, reason: result.body.reason }, "crm webhook");
  return result;
}

/** What a delivery turned out to be about, as far as it was read (recorded with its verdict). */
interface Seen {
  eventType?: string;
  caseCrmId?: string;
}

async function evaluate(deps: WebhookDeps, request: { headers: Headers; body: Buffer }, webhookId: string | null, seen: Seen): Promise<WebhookResult> {
  try {
    new Webhook(deps.secret).verify(request.body.toString("utf8"), {
      "webhook-id": request.headers.get("webhook-id") ?? "",
      "webhook-timestamp": request.headers.get("webhook-timestamp") ?? "",
      "webhook-signature": request.headers.get("webhook-signature") ?? "",
    }, { jsonParse: false });
  } catch (error) {
    if (error instanceof WebhookVerificationError) return reject(401, signatureReason(error.message));
    throw error;
  }

  let json: unknown;
  try {
    json = JSON.parse(request.body.toString("utf8"));
  } catch {
    return reject(400, "The body is not valid JSON.");
  }
  const parsed = crmWebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    return reject(400, `The event does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
  }
  const event = parsed.data;
  seen.eventType = event.type;
  seen.caseCrmId = event.data.caseId;

  if (webhookId && (await isDuplicate(deps.db, webhookId))) return { status: 200, body: { ok: true, verdict: "duplicate" } };

  let crmCase;
  try {
    crmCase = await deps.crm.fetchCase(event.data.caseId);
  } catch (error) {
    // The CRM retries deliveries; tell it to come back rather than dropping the event.
    if (error instanceof CrmError) return reject(503, "The CRM could not be reached to fetch the case; retry later.");
    throw error;
  }
  if (!crmCase) return reject(422, `The CRM does not know case ${event.data.caseId}.`);
  if (!isKnownOem(crmCase.oem)) return reject(422, `Unknown OEM "${crmCase.oem}" on case ${crmCase.id}.`);

  return withJobs(deps.db, deps.queue, async (tx) => {
    const accepted: WebhookResult = { status: 202, body: { ok: true, verdict: "accepted" } };
    const recorded = await recordDelivery(tx, { webhookId, eventType: event.type, result: accepted, caseCrmId: crmCase.id });
    // A concurrent duplicate delivery won the race for this webhook-id.
    if (!recorded) return { status: 200, body: { ok: true, verdict: "duplicate" } } satisfies WebhookResult;
    const stored = await upsertCaseFromCrm(tx, crmCase);
    if (event.type === "case.urgent") {
      const run = await enqueueRun(tx, deps.queue, { caseId: stored.id, priority: PRIORITY.urgent, maxAttempts: deps.maxAttempts });
      if (run) accepted.body.runId = run.runId;
    }
    return accepted;
  });
}

async function isDuplicate(db: Db, webhookId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.verdict, "accepted")))
    .limit(1);
  return row !== undefined;
}

async function recordDelivery(
  db: Db,
  params: { webhookId: string | null; eventType: string | null; result: WebhookResult; caseCrmId: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(webhookDeliveries)
    .values({
      webhookId: params.webhookId?.slice(0, 200) ?? null,
      eventType: params.eventType,
      verdict: params.result.body.verdict,
      httpStatus: params.result.status,
      reason: params.result.body.reason ?? null,
      caseCrmId: params.caseCrmId,
    })
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  return rows.length > 0;
}

function signatureReason(message: string): string {
  if (/too old|too new/i.test(message)) return "The webhook timestamp is outside the 5-minute tolerance.";
  if (/missing|headers/i.test(message)) return "Missing or malformed webhook signature headers.";
  return "The webhook signature does not match.";
}
