/**
 * The alert scan (`notify_alerts`, every minute): turns what happened into deliveries.
 *
 * - Each open alert that is sent (lib/alerts/vocabulary.ts) → one `alert.opened` per destination
 *   receiving alerts; while it stays open, an `alert.reminder` when the destination heard nothing
 *   about it for the reminder interval (ALERT_REMINDER_HOURS); once resolved, `alert.resolved`
 *   to every destination that was told it opened.
 * - Each nightly batch whose morning digest was built in the last day → one `digest.ready` per
 *   destination receiving the digest, keyed by the night: once per night per destination.
 *
 * Every delivery has a deterministic dedupe key (unique in the table) and the scan runs under a
 * transaction-scoped advisory lock, so a scan run twice — or two at once — queues nothing twice.
 * Time is a parameter (`now`), so tests drive reminders without sleeping.
 */
import { and, eq, gte, inArray, isNotNull, sql } from "drizzle-orm";
import { alertDeliveries, alertDestinations, alerts, batches, oems } from "@/drizzle/schema";
import { getReportTimeZone } from "../batches/digest";
import type { Db } from "../db/client";
import { withJobs, type JobQueue } from "../queue/job-queue";
import type { AlertsConfig } from "./config";
import { queueDelivery, requeueStrandedDeliveries } from "./deliveries";
import { renderAlertMessage, renderDigestMessage, type AlertFacts } from "./message";
import { resolveRecoveredSpikes } from "./site-changed-spike";
import { isSentAlert, SENT_ALERT_KINDS } from "./vocabulary";

/** Alerts opened longer ago than this are no longer announced to destinations added since. */
const OPEN_ALERT_HORIZON_MS = 7 * 24 * 3_600_000;
/** Resolutions and digests older than this are not sent any more (a worker down for a day). */
const RECENT_MS = 24 * 3_600_000;

export function alertDedupeKey(alertId: string, destinationId: string, what: "opened" | "resolved" | { reminder: number }): string {
  return typeof what === "string" ? `alert:${alertId}:${what}:${destinationId}` : `alert:${alertId}:reminder:${what.reminder}:${destinationId}`;
}

export function digestDedupeKey(nightKey: string, destinationId: string): string {
  return `digest:${nightKey}:${destinationId}`;
}

export interface NotifyResult {
  opened: number;
  reminders: number;
  resolved: number;
  digests: number;
  spikesResolved: number;
  requeued: number;
}

export async function notifyAlerts(db: Db, queue: JobQueue, deps: { config: Pick<AlertsConfig, "reminderMs" | "publicUrl">; now?: Date }): Promise<NotifyResult> {
  const now = deps.now ?? new Date();
  const links = { publicUrl: deps.config.publicUrl };
  const spikesResolved = await resolveRecoveredSpikes(db, now);
  const timeZone = await getReportTimeZone(db);
  const counts = await withJobs(db, queue, async (tx) => {
    const result = { opened: 0, reminders: 0, resolved: 0, digests: 0 };
    // One scan at a time: a second one waits, then sees what the first queued.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('nightshift:notify_alerts'))`);
    const destinations = await tx
      .select({ id: alertDestinations.id, receivesAlerts: alertDestinations.receivesAlerts, receivesDigest: alertDestinations.receivesDigest })
      .from(alertDestinations)
      .where(eq(alertDestinations.enabled, true));
    const forAlerts = destinations.filter((d) => d.receivesAlerts);
    const forDigest = destinations.filter((d) => d.receivesDigest);

    if (forAlerts.length > 0) {
      const horizon = new Date(now.getTime() - OPEN_ALERT_HORIZON_MS);
      const recent = new Date(now.getTime() - RECENT_MS);
      const rows = await tx
        .select({ id: alerts.id, kind: alerts.kind, severity: alerts.severity, message: alerts.message, oemId: alerts.oemId, oemLabel: oems.label, createdAt: alerts.createdAt, resolvedAt: alerts.resolvedAt })
        .from(alerts)
        .leftJoin(oems, eq(oems.id, alerts.oemId))
        .where(
          and(
            inArray(alerts.kind, Object.keys(SENT_ALERT_KINDS)),
            sql`((${alerts.resolvedAt} is null and ${alerts.createdAt} >= ${horizon.toISOString()}::timestamptz) or ${alerts.resolvedAt} >= ${recent.toISOString()}::timestamptz)`,
          ),
        )
        .limit(500);
      const sent: AlertFacts[] = rows.filter(isSentAlert);
      const told = new Map<string, { opened: boolean; resolved: boolean; last: number }>();
      if (sent.length > 0) {
        const history = await tx
          .select({ alertId: alertDeliveries.alertId, destinationId: alertDeliveries.destinationId, type: alertDeliveries.type, createdAt: alertDeliveries.createdAt })
          .from(alertDeliveries)
          .where(inArray(alertDeliveries.alertId, sent.map((a) => a.id)));
        for (const h of history) {
          const key = `${h.alertId}|${h.destinationId}`;
          const entry = told.get(key) ?? { opened: false, resolved: false, last: 0 };
          if (h.type === "alert.opened") entry.opened = true;
          if (h.type === "alert.resolved") entry.resolved = true;
          entry.last = Math.max(entry.last, h.createdAt.getTime());
          told.set(key, entry);
        }
      }
      for (const alert of sent) {
        for (const destination of forAlerts) {
          const history = told.get(`${alert.id}|${destination.id}`);
          const base = { destinationId: destination.id, alertId: alert.id, createdAt: now };
          if (alert.resolvedAt) {
            // Only those who were told it opened hear it closed.
            if (history?.opened && !history.resolved) {
              const id = await queueDelivery(tx, { ...base, type: "alert.resolved", dedupeKey: alertDedupeKey(alert.id, destination.id, "resolved"), message: renderAlertMessage({ type: "alert.resolved", alert, links, now }) });
              if (id) result.resolved += 1;
            }
            continue;
          }
          if (!history?.opened) {
            const id = await queueDelivery(tx, { ...base, type: "alert.opened", dedupeKey: alertDedupeKey(alert.id, destination.id, "opened"), message: renderAlertMessage({ type: "alert.opened", alert, links, now }) });
            if (id) result.opened += 1;
            continue;
          }
          if (!SENT_ALERT_KINDS[alert.kind]?.remind) continue;
          if (now.getTime() - history.last < deps.config.reminderMs) continue;
          // Numbered by the interval since the alert opened: the same reminder has the same key in every scan.
          const reminder = Math.max(1, Math.floor((now.getTime() - alert.createdAt.getTime()) / deps.config.reminderMs));
          const id = await queueDelivery(tx, {
            ...base,
            type: "alert.reminder",
            dedupeKey: alertDedupeKey(alert.id, destination.id, { reminder }),
            message: renderAlertMessage({ type: "alert.reminder", alert, reminder, links, now }),
          });
          if (id) result.reminders += 1;
        }
      }
    }

    if (forDigest.length > 0) {
      const built = await tx
        .select({ id: batches.id, nightKey: batches.nightKey, digest: batches.digest })
        .from(batches)
        .where(and(isNotNull(batches.nightKey), isNotNull(batches.digest), gte(batches.digestBuiltAt, new Date(now.getTime() - RECENT_MS)), sql`${batches.digestBuiltAt} <= ${now.toISOString()}::timestamptz`))
        .limit(10);
      if (built.length > 0) {
        const oemLabels = Object.fromEntries((await tx.select({ id: oems.id, label: oems.label }).from(oems)).map((o) => [o.id, o.label]));
        for (const batch of built) {
          if (!batch.nightKey || !batch.digest) continue;
          const message = renderDigestMessage({ facts: { batchId: batch.id, nightKey: batch.nightKey, digest: batch.digest, oemLabels, timeZone }, links, now });
          for (const destination of forDigest) {
            const id = await queueDelivery(tx, { destinationId: destination.id, batchId: batch.id, type: "digest.ready", dedupeKey: digestDedupeKey(batch.nightKey, destination.id), message, createdAt: now });
            if (id) result.digests += 1;
          }
        }
      }
    }
    return result;
  });
  const requeued = await requeueStrandedDeliveries(db, queue);
  return { ...counts, spikesResolved, requeued };
}

