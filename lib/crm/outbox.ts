import { eq, sql } from "drizzle-orm";
import { alerts, cases, outbox } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { CrmError, type CrmConnector } from "./connector";
import { addJobAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { deliveryJob } from "../queue/specs";
import { crmNoteSchema, crmStatusUpdateSchema, type CrmNote, type CrmStatusUpdate } from "./types";

export type OutboxEntryInput =
  | { kind: "status"; caseId: string; runId: string | null; idempotencyKey: string; payload: CrmStatusUpdate }
  | { kind: "note"; caseId: string; runId: string | null; idempotencyKey: string; payload: CrmNote };

/**
 * Queues a CRM write-back in the caller's `withJobs` transaction: an outbox row (unique
 * idempotency key, so the same outcome is never queued twice) and, once it commits, its delivery job.
 */
export async function enqueueCrmUpdate(tx: Db, entry: OutboxEntryInput): Promise<string | null> {
  const [row] = await tx
    .insert(outbox)
    .values({ caseId: entry.caseId, runId: entry.runId, kind: entry.kind, idempotencyKey: entry.idempotencyKey, payload: { ...entry.payload } })
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  if (!row) return null;
  addJobAfterCommit(tx, deliveryJob({ outboxId: row.id, runAt: null }));
  return row.id;
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
  deps: { crm: CrmConnector; queue: JobQueue; log: Logger; policy?: DeliveryPolicy; random?: () => number; now?: () => Date },
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
      await deps.crm.updateStatus(entry.crmId, crmStatusUpdateSchema.parse(entry.payload), entry.key);
    } else {
      await deps.crm.addNote(entry.crmId, crmNoteSchema.parse(entry.payload), entry.key);
    }
  } catch (error) {
    const attempts = entry.attempts + 1;
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof CrmError) || error.retryable;
    if (retryable && attempts < policy.maxAttempts) {
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts - 1, 20)) * (0.5 + 0.5 * (deps.random ?? Math.random)());
      const delay = Math.max(backoff, error instanceof CrmError && error.retryAfterMs !== null ? error.retryAfterMs : 0);
      const runAt = new Date((deps.now?.() ?? new Date()).getTime() + delay);
      await withJobs(db, deps.queue, async (tx) => {
        await tx.update(outbox).set({ deliveryAttempts: attempts, lastError: message.slice(0, 500) }).where(eq(outbox.id, entry.id));
        addJobAfterCommit(tx, deliveryJob({ outboxId: entry.id, runAt }));
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
      const { status } = crmStatusUpdateSchema.parse(entry.payload);
      await tx.update(cases).set({ crmStatus: status, updatedAt: sql`now()` }).where(eq(cases.id, entry.caseId));
    }
  });
  return "delivered";
}
