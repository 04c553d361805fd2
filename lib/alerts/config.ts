import type { Env } from "../config/env";

/** How alert deliveries are retried: bounded attempts with jittered exponential backoff. */
export interface AlertDeliveryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** One send (SMTP conversation or webhook request) may take this long. */
  timeoutMs: number;
  /** A sender holds a delivery this long; one that died mid-send frees it when it passes. */
  claimMs: number;
}

/** 8 tries over about an hour: 30 s, 1, 2, 4, 8, 16, 30, 30 min (± jitter). */
export const DEFAULT_ALERT_DELIVERY_POLICY: AlertDeliveryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000, timeoutMs: 15_000, claimMs: 2 * 60_000 };

export interface AlertsConfig {
  /** SMTP_URL; null: email destinations cannot be delivered. */
  smtpUrl: string | null;
  emailFrom: string;
  reminderMs: number;
  /** NIGHTSHIFT_PUBLIC_URL without a trailing slash; null: messages carry dashboard paths, not links. */
  publicUrl: string | null;
  delivery: AlertDeliveryPolicy;
}

export function alertsConfigFrom(env: Pick<Env, "SMTP_URL" | "ALERT_EMAIL_FROM" | "ALERT_REMINDER_HOURS" | "NIGHTSHIFT_PUBLIC_URL">): AlertsConfig {
  const publicUrl = env.NIGHTSHIFT_PUBLIC_URL?.replace(/\/+$/, "") ?? null;
  const host = publicUrl ? new URL(publicUrl).hostname : "localhost";
  return {
    smtpUrl: env.SMTP_URL ?? null,
    emailFrom: env.ALERT_EMAIL_FROM ?? `Nightshift <nightshift@${host}>`,
    reminderMs: env.ALERT_REMINDER_HOURS * 3_600_000,
    publicUrl,
    delivery: DEFAULT_ALERT_DELIVERY_POLICY,
  };
}
