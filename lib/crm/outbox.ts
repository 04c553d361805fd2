import { eq, sql } from "drizzle-orm";
import { alerts, cases, outbox } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { CrmError, type CrmConnector } from "./connector";
import type { CrmNote, CrmStatusUpdate } from "./types";

export const DELIVER_CRM_UPDATE_TASK = "deliver_crm_update";

/**
 * Write-backs run before queued submissions (lower runs first; urgent submissions are -10): a
 * nightly batch queues all its runs at once, and the CRM should hear each outcome as it happens,
 * not after the last filing.
 */
export const OUTBOX_PRIORITY = -5;

export interface DeliverCrmUpdatePayload {
  outboxId: string;
}

export type OutboxEntryInput =
  | { kind: "status"; caseId: string; runId: string | null; idempotencyKey: string; payload: CrmStatusUpdate }
  | { kind: "note"; caseId: string; runId: string | null; idempotencyKey: string; payload: CrmNote };

/**
 * Queues a CRM write-back in the caller's transaction: an outbox row (unique idempotency key, so
 * the same outcome is never queued twice) and its delivery job.
 */
export async function enqueueCrmUpdate(tx: Db, entry: OutboxEntryInput): Promise<string | null> {
  const [row] = await tx
    .insert(outbox)
    .values({ caseId: entry.caseId, runId: entry.runId, kind: entry.kind, idempotencyKey: entry.idempotencyKey, payload: { ...entry.payload } })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  if (!row) return null;
  await addDeliveryJob(tx, { outboxId: row.id, runAt: null });
  return row.id;
}

export async function addDeliveryJob(tx: Pick<Db, "execute">, params: { outboxId: string; runAt: Date | null }): Promise<void> {
  const payload: DeliverCrmUpdatePayload = { outboxId: params.outboxId };
  await tx.execute(sql`select graphile_worker.add_job(
    ${DELIVER_CRM_UPDATE_TASK}::text,
    ${JSON.stringify(payload)}::json,
    run_at := ${params.runAt ? params.runAt.toISOString() : null}::timestamptz,
    max_attempts := 3,
    job_key := ${`outbox:${params.outboxId}`}::text,
    priority := ${OUTBOX_PRIORITY}::int
  )`);
}

export interface DeliveryPolicy {
  /** Give up (and alert) after this many failed deliveries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = { maxAttempts: 40, baseDelayMs: 2_000, maxDelayMs: 5 * 60_000 };

export type DeliveryResult = "delivered" | "already_delivered" | "retry_scheduled" | "failed" | "missing";

/**
 * Delivers one outbox entry with its idempotency key. A retryable CRM failure reschedules the
 * delivery (honouring Retry-After); the CRM applies the key once, so a retry never writes twice.
 */
export async function deliverOutboxEntry(
  db: Db,
  deps: { crm: CrmConnector; log: Logger; policy?: DeliveryPolicy; random?: () => number; now?: () => Date },
  params: { outboxId: string },
): Promise<DeliveryResult> {
  const policy = deps.policy ?? DEFAULT_DELIVERY_POLICY;
  const [entry] = await db
    .select({ id: outbox.id, kind: outbox.kind, payload: outbox.payload, status: outbox.status, key: outbox.idempotencyKey, attempts: outbox.deliveryAttempts, caseId: outbox.caseId, crmId: cases.crmId })
    .from(outbox)
    .innerJoin(cases, eq(cases.id, outbox.caseId))
    .where(eq(outbox.id, params.outboxId));
  if (!entry) return "missing";
  if (entry.status !== "pending") return "already_delivered";

  try {
    if (entry.kind === "status") {
      await deps.crm.updateStatus(entry.crmId, entry.payload as unknown as CrmStatusUpdate, entry.key);
    } else {
      await deps.crm.addNote(entry.crmId, entry.payload as unknown as CrmNote, entry.key);
    }
  } catch (error) {
    const attempts = entry.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof CrmError) || error.retryable;
    if (retryable && attempts < policy.maxAttempts) {
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts - 1, 20)) * (0.5 + 0.5 * (deps.random ?? Math.random)());
      const delay = Math.max(backoff, error instanceof CrmError && error.retryAfterMs !== null ? error.retryAfterMs : 0);
      const runAt = new Date((deps.now?.() ?? new Date()).getTime() + delay);
      await db.transaction(async (tx) => {
        await tx.update(outbox).set({ deliveryAttempts: attempts, lastError: message.slice(0, 500) }).where(eq(outbox.id, entry.id));
        await addDeliveryJob(tx, { outboxId: entry.id, runAt });
      });
      deps.log.warn({ outboxId: entry.id, attempts, retryInMs: Math.round(delay), reason: message }, "CRM write-back failed; retry scheduled");
      return "retry_scheduled";
    }
    await db.transaction(async (tx) => {
      await tx.update(outbox).set({ status: "failed", deliveryAttempts: attempts, lastError: message.slice(0, 500) }).where(eq(outbox.id, entry.id));
      await tx.insert(alerts).values({
        severity: "critical",
        kind: "crm_writeback_failed",
        message: `A CRM write-back for case ${entry.crmId} failed for good after ${attempts} tries: ${message.slice(0, 300)}`,
      });
    });
    deps.log.error({ outboxId: entry.id, attempts, reason: message }, "CRM write-back failed for good");
    return "failed";
  }

  await db.transaction(async (tx) => {
    await tx.update(outbox).set({ status: "delivered", deliveredAt: sql`now()`, deliveryAttempts: entry.attempts + 1 }).where(eq(outbox.id, entry.id));
    if (entry.kind === "status") {
      const status = (entry.payload as { status?: string }).status;
      if (status) await tx.update(cases).set({ crmStatus: status, updatedAt: sql`now()` }).where(eq(cases.id, entry.caseId));
    }
  });
  return "delivered";
}
