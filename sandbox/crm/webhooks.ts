// Outgoing CRM webhooks: signed with Standard Webhooks, delivered asynchronously, retried
// with exponential backoff under the same webhook-id (so receivers see real duplicates).

import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Logger, WebhookRetryOptions } from "../context.js";
import type { SandboxState, WebhookDelivery } from "../state.js";

export type WebhookEventType = WebhookDelivery["type"];

export interface WebhookTarget {
  url: string;
  secret: string;
}

export class WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly state: SandboxState,
    private target: WebhookTarget | null,
    private readonly retry: WebhookRetryOptions,
    private readonly logger: Logger,
  ) {
    if (target) new Webhook(target.secret); // fail fast on a malformed secret
  }

  getTarget(): WebhookTarget | null {
    return this.target;
  }

  setTarget(target: WebhookTarget | null): void {
    if (target) new Webhook(target.secret);
    this.target = target;
  }

  /** Queues a delivery; returns it, or null when no webhook URL is configured. Never blocks. */
  emit(type: WebhookEventType, caseId: string): WebhookDelivery | null {
    if (!this.target || this.closed) return null;
    const now = new Date();
    const delivery: WebhookDelivery = {
      id: `msg_${randomBytes(12).toString("hex")}`,
      type,
      caseId,
      url: this.target.url,
      payload: JSON.stringify({ type, timestamp: now.toISOString(), data: { caseId } }),
      state: "pending",
      attempts: [],
      createdAt: now.toISOString(),
      nextAttemptAt: now.toISOString(),
    };
    this.state.deliveries.push(delivery);
    this.schedule(delivery, 0, this.target.secret);
    return delivery;
  }

  private schedule(delivery: WebhookDelivery, delayMs: number, secret: string): void {
    delivery.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery, secret);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: WebhookDelivery, secret: string): Promise<void> {
    if (this.closed) return;
    const attemptNo = delivery.attempts.length + 1;
    const started = Date.now();
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.retry.timeoutMs);
    this.inFlight.add(controller);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Each try is signed afresh (new timestamp), but keeps the same webhook-id.
      const signedAt = new Date();
      const signature = new Webhook(secret).sign(delivery.id, signedAt, delivery.payload);
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "SandboxCRM-Webhooks/1.0",
          "webhook-id": delivery.id,
          "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
          "webhook-signature": signature,
        },
        body: delivery.payload,
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (err) {
      error = err instanceof Error ? (err.name === "AbortError" ? "timeout" : err.message) : String(err);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    // Closed, or dropped by an admin reset while the request was in flight.
    if (this.closed || !this.state.deliveries.includes(delivery)) return;
    delivery.attempts.push({ attempt: attemptNo, at: new Date(started).toISOString(), status, error, durationMs: Date.now() - started });
    if (status !== null && status >= 200 && status < 300) {
      delivery.state = "delivered";
      delivery.nextAttemptAt = null;
      return;
    }
    if (attemptNo >= this.retry.maxAttempts) {
      delivery.state = "failed";
      delivery.nextAttemptAt = null;
      this.logger.warn({ webhookId: delivery.id, type: delivery.type, attempts: attemptNo }, "webhook delivery gave up");
      return;
    }
    const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attemptNo - 1));
    this.schedule(delivery, delay, secret);
  }

  /** Cancels pending retries and aborts in-flight requests. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    for (const d of this.state.deliveries) {
      if (d.state === "pending") {
        d.state = "cancelled";
        d.nextAttemptAt = null;
      }
    }
  }

  /** Drops queued retries (used by admin reset) without closing the dispatcher. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
