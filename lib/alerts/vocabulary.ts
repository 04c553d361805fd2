/**
 * Alerts that reach people. Glossary — **destination**: an email address or a webhook URL an admin
 * configured, choosing what it receives; **message**: one thing to tell (an alert opened, a
 * reminder, its resolution, the morning digest, a test); **delivery**: one message to one
 * destination, an outbox row retried until delivered or failed for good.
 */
export const ALERT_DESTINATION_KINDS = ["email", "webhook"] as const;
export type AlertDestinationKind = (typeof ALERT_DESTINATION_KINDS)[number];

/** The `type` of every message (the webhook body's `type`; stable, documented in docs/alerts.md). */
export const ALERT_MESSAGE_TYPES = ["alert.opened", "alert.reminder", "alert.resolved", "digest.ready", "test"] as const;
export type AlertMessageType = (typeof ALERT_MESSAGE_TYPES)[number];

export const ALERT_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];

/** What a destination can receive. */
export const ALERT_SUBSCRIPTIONS = ["alerts", "digest"] as const;
export type AlertSubscription = (typeof ALERT_SUBSCRIPTIONS)[number];

/** The alert kind raised when a portal's site_changed terminal fails spike (lib/alerts/site-changed-spike.ts). */
export const SITE_CHANGED_SPIKE_KIND = "site_changed_spike";

/**
 * Which rows of `alerts` are sent, and whether reminders follow while they stay open. Only kinds
 * that are resolved by something get reminders; the others are told once.
 */
export const SENT_ALERT_KINDS: Record<string, { severity: "critical" | "any"; remind: boolean; title: string }> = {
  // A portal paused because it refused the login (critical); a pause by hand is a warning and is not sent.
  portal_paused: { severity: "critical", remind: true, title: "Portal paused: credentials refused" },
  batch_at_risk: { severity: "any", remind: true, title: "Batch at risk of missing its deadline" },
  night_late: { severity: "any", remind: false, title: "The nightly batch started late" },
  [SITE_CHANGED_SPIKE_KIND]: { severity: "any", remind: true, title: "Portal changed: site_changed failures spiking" },
  crm_writeback_failed: { severity: "critical", remind: false, title: "A CRM write-back failed for good" },
};

/** Whether an alert row is sent to destinations. */
export function isSentAlert(alert: { kind: string; severity: string }): boolean {
  const rule = SENT_ALERT_KINDS[alert.kind];
  if (!rule) return false;
  return rule.severity === "any" || alert.severity === rule.severity;
}

export const DELIVERY_STATUS_LABEL: Record<AlertDeliveryStatus, string> = { pending: "Pending", delivered: "Delivered", failed: "Failed" };
