/**
 * Sending one message to one destination: email over SMTP (nodemailer) or a webhook POST signed
 * with Standard Webhooks. Both carry an id derived from the delivery's dedupe key — the email's
 * Message-ID, the webhook's `webhook-id` — so a message sent again after a crash between the send
 * and its record is recognisable as the same message by the receiver.
 */
import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import { Webhook } from "standardwebhooks";
import type { AlertsConfig } from "./config";
import type { AlertMessage } from "./message";

/** A send that failed; `retryable: false` for a refusal that a retry cannot change (no SMTP server configured). */
export class AlertSendError extends Error {
  override name = "AlertSendError";
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

/** The stable id of a message for its receivers: the same for every retry of one delivery. */
export function messageIdFor(dedupeKey: string): string {
  return createHash("sha256").update(dedupeKey).digest("hex").slice(0, 32);
}

export function webhookIdFor(dedupeKey: string): string {
  return `msg_${messageIdFor(dedupeKey)}`;
}

export function emailMessageIdFor(dedupeKey: string): string {
  return `<${messageIdFor(dedupeKey)}@alerts.nightshift>`;
}

export interface SendTarget {
  kind: "email" | "webhook";
  target: string;
  /** The webhook's whsec_ secret (opened for this send only). */
  secret: string | null;
}

export async function sendAlertMessage(config: Pick<AlertsConfig, "smtpUrl" | "emailFrom" | "delivery">, destination: SendTarget, delivery: { dedupeKey: string; message: AlertMessage }, now: () => Date = () => new Date()): Promise<void> {
  if (destination.kind === "email") return sendEmail(config, destination.target, delivery);
  return sendWebhook(config, destination, delivery, now);
}

async function sendEmail(config: Pick<AlertsConfig, "smtpUrl" | "emailFrom" | "delivery">, to: string, delivery: { dedupeKey: string; message: AlertMessage }): Promise<void> {
  if (!config.smtpUrl) throw new AlertSendError("No SMTP server is configured: set SMTP_URL (e.g. smtp://user:pass@smtp.example.com:587) and restart.", false);
  const timeout = config.delivery.timeoutMs;
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  try {
    await transport.sendMail({
      from: config.emailFrom,
      to,
      subject: delivery.message.subject,
      text: delivery.message.text,
      html: delivery.message.html,
      messageId: emailMessageIdFor(delivery.dedupeKey),
      headers: { "X-Nightshift-Message-Type": delivery.message.type },
    });
  } catch (error) {
    // nodemailer's messages name the server's answer; the URL (with its password) is not in them.
    const code = (error as { responseCode?: number }).responseCode;
    const text = error instanceof Error ? error.message : String(error);
    // 5xx: the server refused this message for good (bad address, policy); 4xx and network errors may pass later.
    throw new AlertSendError(`The SMTP server did not accept the email: ${text}`.slice(0, 500), !(code !== undefined && code >= 500 && code < 600));
  } finally {
    transport.close();
  }
}

async function sendWebhook(config: Pick<AlertsConfig, "delivery">, destination: SendTarget, delivery: { dedupeKey: string; message: AlertMessage }, now: () => Date): Promise<void> {
  if (!destination.secret) throw new AlertSendError("This webhook destination has no signing secret; delete it and add it again.", false);
  const body = JSON.stringify(delivery.message.payload);
  const id = webhookIdFor(delivery.dedupeKey);
  // Signed at send time: receivers reject timestamps more than 5 minutes off their clock.
  const timestamp = now();
  const signature = new Webhook(destination.secret).sign(id, timestamp, body);
  let response: Response;
  try {
    response = await fetch(destination.target, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Nightshift-Alerts/1",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(config.delivery.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${Math.round(config.delivery.timeoutMs / 1000)} s` : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    throw new AlertSendError(`The webhook could not be reached: ${reason}.`);
  }
  const text = await response.text().catch(() => "");
  if (response.status >= 200 && response.status < 300) return;
  const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
  // Any other answer is retried (as Standard Webhooks senders do): the receiver may be mid-deploy.
  throw new AlertSendError(`The webhook answered HTTP ${response.status}${snippet ? `: ${snippet}` : ""}.`);
}
