import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { trackResource } from "./resources";

/** One request the receiver got, and whether its Standard Webhooks signature verified. */
export interface ReceivedWebhook {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  body: string;
  /** The parsed body when the signature verified; null otherwise. */
  payload: unknown;
  verified: boolean;
  /** Why verification failed (the library's message), when it did. */
  verifyError: string | null;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order (also the refused ones). */
  requests: ReceivedWebhook[];
  /** The secret to verify with (set it once the destination exists and its secret is known). */
  setSecret(secret: string): void;
  /** Answer the next `n` requests with `status` (default 503) instead of 204. */
  failNext(n: number, status?: number): void;
  /** Wait this long before answering each request. */
  setDelay(ms: number): void;
  /** Resolves once `count` requests were answered 2xx. */
  waitForDelivered(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/**
 * A local HTTP receiver (node:http, free port) that verifies every request's Standard Webhooks
 * signature with the destination's secret — a bad or missing signature is answered 401, as a real
 * receiver would — and can be told to fail or be slow. Tracked: a file must close it.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  let secret: string | null = null;
  let failures = 0;
  let failStatus = 503;
  let delayMs = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        const body = Buffer.concat(chunks).toString("utf8");
        const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name]) : null);
        const record: ReceivedWebhook = { id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature"), body, payload: null, verified: false, verifyError: null, status: 0 };
        try {
          if (!secret) throw new Error("no secret set on the receiver");
          record.payload = new Webhook(secret).verify(body, { "webhook-id": record.id ?? "", "webhook-timestamp": record.timestamp ?? "", "webhook-signature": record.signature ?? "" });
          record.verified = true;
        } catch (error) {
          record.verifyError = error instanceof Error ? error.message : String(error);
        }
        if (!record.verified) record.status = 401;
        else if (failures > 0) {
          failures -= 1;
          record.status = failStatus;
        } else record.status = 204;
        requests.push(record);
        res.writeHead(record.status, { "content-type": "text/plain" }).end(record.status === 204 ? "" : record.verified ? "receiver is down for a moment" : `bad signature: ${record.verifyError}`);
        for (const wake of waiters.splice(0)) wake();
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const release = trackResource("webhook receiver");
  const port = (server.address() as AddressInfo).port;
  const delivered = () => requests.filter((r) => r.status >= 200 && r.status < 300);
  return {
    url: `http://127.0.0.1:${port}/hooks/nightshift`,
    requests,
    setSecret(value) {
      secret = value;
    },
    failNext(n, status = 503) {
      failures = n;
      failStatus = status;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    async waitForDelivered(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (delivered().length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`webhook receiver: ${delivered().length} of ${count} delivered after ${timeoutMs} ms (${requests.length} requests)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return delivered().slice(0, count);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      release();
    },
  };
}
