/**
 * The alert outbox. A delivery is one message to one destination, unique by its dedupe key (so a
 * scan run twice, or two scans at once, queue it once), delivered by a `deliver_alert` job:
 *
 * - the sender first **claims** the row (`claimed_until`), so two jobs for one delivery never send
 *   at once; a sender that dies mid-send lets the claim lapse and the next try sends again with
 *   the same Message-ID / `webhook-id` (receivers can drop the repeat);
 * - a failed send is retried with jittered exponential backoff up to `maxAttempts`, then the
 *   delivery is `failed` with the last error;
 * - `requeueStrandedDeliveries` re-adds the job of a pending delivery whose job was lost (a crash
 *   between the commit and the add).
 */
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { alertDeliveries, alertDestinations } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { addJobAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { alertDeliveryJob } from "../queue/specs";
import type { SecretKeys } from "../secrets/secret-key";
import type { AlertsConfig } from "./config";
import { maskTarget, openWebhookSecret } from "./destinations";
import type { AlertMessage } from "./message";
import { AlertSendError, sendAlertMessage, type SendTarget } from "./send";
import type { AlertDeliveryStatus, AlertDestinationKind, AlertMessageType } from "./vocabulary";

export interface DeliveryInput {
  destinationId: string;
  dedupeKey: string;
  type: AlertMessageType;
  alertId?: string | null;
  batchId?: string | null;
  message: AlertMessage;
  createdAt?: Date;
}

/**
 * Queues a delivery in the caller's `withJobs` transaction: the row (nothing when its dedupe key
 * exists already) and, once it commits, its job. Returns the new row's id, or null.
 */
export async function queueDelivery(tx: Db, input: DeliveryInput): Promise<string | null> {
  const [row] = await tx
    .insert(alertDeliveries)
    .values({
      destinationId: input.destinationId,
      dedupeKey: input.dedupeKey,
      type: input.type,
      alertId: input.alertId ?? null,
      batchId: input.batchId ?? null,
      message: input.message,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .onConflictDoNothing({ target: alertDeliveries.dedupeKey })
    .returning({ id: alertDeliveries.id });
  if (!row) return null;
  addJobAfterCommit(tx, alertDeliveryJob({ deliveryId: row.id, runAt: null }));
  return row.id;
}

export interface DeliverAlertDeps {
  queue: JobQueue;
  log: Logger;
  config: Pick<AlertsConfig, "smtpUrl" | "emailFrom" | "delivery">;
  keys: SecretKeys;
  random?: () => number;
  /** The clock of the webhook signature and of the next try. */
  now?: () => Date;
}

export type DeliverAlertResult = "delivered" | "retry_scheduled" | "failed" | "skipped";

/** The delay before try `attempts + 1`, with jitter (50–100 % of the exponential step). */
export function alertRetryDelay(policy: AlertsConfig["delivery"], attempts: number, random: () => number = Math.random): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts - 1, 20)) * (0.5 + 0.5 * random());
}

/** One try of one delivery. */
export async function deliverAlert(db: Db, deps: DeliverAlertDeps, params: { deliveryId: string }): Promise<DeliverAlertResult> {
  const policy = deps.config.delivery;
  const [claimed] = await db
    .update(alertDeliveries)
    .set({ claimedUntil: sql`now() + ${`${policy.claimMs} milliseconds`}::interval` })
    .where(and(eq(alertDeliveries.id, params.deliveryId), eq(alertDeliveries.status, "pending"), or(isNull(alertDeliveries.claimedUntil), lt(alertDeliveries.claimedUntil, sql`now()`))))
    .returning();
  // Delivered, failed, deleted with its destination, or being sent by another job right now.
  if (!claimed) return "skipped";
  const [destination] = await db.select().from(alertDestinations).where(eq(alertDestinations.id, claimed.destinationId));
  const attempts = claimed.attempts + 1;

  let failure: { message: string; retryable: boolean } | null = null;
  if (!destination?.enabled) {
    failure = { message: "The destination was disabled before this message could be sent.", retryable: false };
  } else {
    try {
      const target: SendTarget = { kind: destination.kind, target: destination.target, secret: destination.kind === "webhook" ? openWebhookSecret(deps.keys, destination) : null };
      await sendAlertMessage(deps.config, target, { dedupeKey: claimed.dedupeKey, message: claimed.message }, deps.now);
    } catch (error) {
      failure = error instanceof AlertSendError ? { message: error.message, retryable: error.retryable } : { message: error instanceof Error ? error.message : String(error), retryable: true };
    }
  }

  if (!failure) {
    await db
      .update(alertDeliveries)
      .set({ status: "delivered", attempts, deliveredAt: sql`now()`, claimedUntil: null, lastError: null })
      .where(eq(alertDeliveries.id, claimed.id));
    return "delivered";
  }
  const lastError = failure.message.slice(0, 500);
  const where = { deliveryId: claimed.id, destination: destination ? maskTarget(destination.kind, destination.target) : null, attempts, reason: lastError };
  if (failure.retryable && attempts < policy.maxAttempts) {
    const runAt = new Date((deps.now?.() ?? new Date()).getTime() + alertRetryDelay(policy, attempts, deps.random));
    await withJobs(db, deps.queue, async (tx) => {
      await tx.update(alertDeliveries).set({ attempts, lastError, nextAttemptAt: runAt, claimedUntil: null }).where(eq(alertDeliveries.id, claimed.id));
      addJobAfterCommit(tx, alertDeliveryJob({ deliveryId: claimed.id, runAt }));
    });
    deps.log.warn({ ...where, retryAt: runAt }, "alert delivery failed; retry scheduled");
    return "retry_scheduled";
  }
  await db.update(alertDeliveries).set({ status: "failed", attempts, lastError, claimedUntil: null }).where(eq(alertDeliveries.id, claimed.id));
  deps.log.error(where, "alert delivery failed for good");
  return "failed";
}

/**
 * Re-adds the job of every pending delivery that is overdue by more than a minute and not being
 * sent (its job was lost between a commit and the add, or the worker died). A job still queued is
 * only replaced; a running one holds the claim, so nothing is sent twice at once.
 */
export async function requeueStrandedDeliveries(db: Db, queue: JobQueue): Promise<number> {
  const stranded = await db
    .select({ id: alertDeliveries.id })
    .from(alertDeliveries)
    .where(
      and(
        eq(alertDeliveries.status, "pending"),
        lt(alertDeliveries.nextAttemptAt, sql`now() - interval '1 minute'`),
        or(isNull(alertDeliveries.claimedUntil), lt(alertDeliveries.claimedUntil, sql`now()`)),
      ),
    )
    .limit(500);
  if (stranded.length > 0) await queue.addJobs(stranded.map((row) => alertDeliveryJob({ deliveryId: row.id, runAt: null })));
  return stranded.length;
}

/** A delivery as Settings lists it. */
export interface DeliveryView {
  id: string;
  destinationId: string;
  destinationKind: AlertDestinationKind;
  destination: string;
  type: AlertMessageType;
  subject: string;
  status: AlertDeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

/** The most recent deliveries, newest first. */
export async function listRecentDeliveries(db: Db, params: { limit?: number } = {}): Promise<DeliveryView[]> {
  const rows = await db
    .select({
      id: alertDeliveries.id,
      destinationId: alertDeliveries.destinationId,
      kind: alertDestinations.kind,
      target: alertDestinations.target,
      type: alertDeliveries.type,
      message: alertDeliveries.message,
      status: alertDeliveries.status,
      attempts: alertDeliveries.attempts,
      lastError: alertDeliveries.lastError,
      createdAt: alertDeliveries.createdAt,
      deliveredAt: alertDeliveries.deliveredAt,
      nextAttemptAt: alertDeliveries.nextAttemptAt,
    })
    .from(alertDeliveries)
    .innerJoin(alertDestinations, eq(alertDestinations.id, alertDeliveries.destinationId))
    .orderBy(desc(alertDeliveries.createdAt), desc(alertDeliveries.id))
    .limit(Math.min(params.limit ?? 50, 200));
  return rows.map((row) => ({
    id: row.id,
    destinationId: row.destinationId,
    destinationKind: row.kind,
    destination: maskTarget(row.kind, row.target),
    type: row.type,
    subject: row.message.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
  }));
}
