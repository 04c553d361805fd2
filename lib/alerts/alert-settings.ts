/**
 * Settings → Alerts and digest, as data: the destinations, the recent deliveries, and how the
 * environment is set up for them (SMTP configured, public links, reminder interval); and the
 * test message an admin sends to a destination (queued through the outbox like any message).
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { alertDestinations, auditLog } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { withJobs, type JobQueue } from "../queue/job-queue";
import type { AlertsConfig } from "./config";
import { listRecentDeliveries, queueDelivery, type DeliveryView } from "./deliveries";
import { listDestinations, maskTarget, type DestinationView } from "./destinations";
import { renderTestMessage } from "./message";

export interface AlertSettingsView {
  destinations: DestinationView[];
  deliveries: DeliveryView[];
  /** SMTP_URL is set (email destinations can be delivered). */
  emailConfigured: boolean;
  emailFrom: string;
  /** NIGHTSHIFT_PUBLIC_URL, or null: messages then carry dashboard paths instead of links. */
  publicUrl: string | null;
  reminderHours: number;
}

export async function getAlertSettings(db: Db, config: AlertsConfig): Promise<AlertSettingsView> {
  const [destinations, deliveries] = [await listDestinations(db), await listRecentDeliveries(db, { limit: 25 })];
  return { destinations, deliveries, emailConfigured: config.smtpUrl !== null, emailFrom: config.emailFrom, publicUrl: config.publicUrl, reminderHours: config.reminderMs / 3_600_000 };
}

/** Queues a test message to one destination (audited); the worker sends it like any other. */
export async function sendTestMessage(db: Db, queue: JobQueue, params: { destinationId: string; actor: string; publicUrl: string | null; now?: Date }): Promise<{ deliveryId: string }> {
  const now = params.now ?? new Date();
  return withJobs(db, queue, async (tx) => {
    const [destination] = await tx.select({ id: alertDestinations.id, kind: alertDestinations.kind, target: alertDestinations.target, enabled: alertDestinations.enabled }).from(alertDestinations).where(eq(alertDestinations.id, params.destinationId));
    if (!destination) throw new AppError("not_found", "No such destination.");
    if (!destination.enabled) throw new AppError("conflict", "This destination is disabled: enable it to send it a test message.");
    const deliveryId = await queueDelivery(tx, {
      destinationId: destination.id,
      dedupeKey: `test:${randomUUID()}`,
      type: "test",
      message: renderTestMessage({ destinationId: destination.id, requestedBy: params.actor, links: { publicUrl: params.publicUrl }, now }),
    });
    await tx.insert(auditLog).values({ actor: params.actor, action: "test_alert_destination", details: { destinationId: destination.id, target: maskTarget(destination.kind, destination.target) } });
    return { deliveryId: deliveryId! };
  });
}
