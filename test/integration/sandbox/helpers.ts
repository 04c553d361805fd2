// Test helpers for the sandbox: start/stop, CRM calls, a cookie-keeping portal client and a
// local webhook receiver.

import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../../sandbox/server.js";

export const CRM_TOKEN = "test-crm-token";
export const WEBHOOK_SECRET = `whsec_${Buffer.from("nightshift-sandbox-test-secret-32b").toString("base64")}`;

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, crmToken: CRM_TOKEN, seed: false, ...options });
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function crm<T = unknown>(
  sandbox: Sandbox,
  method: string,
  path: string,
  opts: { body?: unknown; idempotencyKey?: string; token?: string | null } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? CRM_TOKEN}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  const res = await fetch(`${sandbox.url}/crm/api${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

export async function admin<T = unknown>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
  const res = await fetch(`${sandbox.url}/sandbox${path}`, {
    method,
    ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

export interface CaseBody {
  id: string;
  reference: string;
  oem: string;
  kind: string;
  status: string;
  confirmationNumber: string | null;
  statusMessage: string | null;
  unit: { id: string; model: string };
  updatedAt: string;
  notes: { id: string; body: string; kind: string }[];
  redactionSensitive: boolean;
}

export interface PageResponse {
  status: number;
  url: string;
  html: string;
}

/** A tiny browser stand-in: keeps cookies, follows redirects, posts forms. */
export class PortalClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: string, path: string, body?: NonNullable<RequestInit["body"]>, contentType?: string): Promise<PageResponse> {
    let url = new URL(path, this.baseUrl).toString();
    let init: RequestInit = { method, redirect: "manual", headers: { cookie: this.cookieHeader(), ...(contentType ? { "content-type": contentType } : {}) } };
    if (body !== undefined) init.body = body;
    for (let hops = 0; hops < 10; hops++) {
      const res = await fetch(url, init);
      this.remember(res);
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        url = new URL(location, url).toString();
        init = { method: "GET", redirect: "manual", headers: { cookie: this.cookieHeader() } };
        continue;
      }
      return { status: res.status, url, html: await res.text() };
    }
    throw new Error("too many redirects");
  }

  get(path: string): Promise<PageResponse> {
    return this.request("GET", path);
  }

  postForm(path: string, fields: Record<string, string>): Promise<PageResponse> {
    return this.request("POST", path, new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded");
  }

  postMultipart(path: string, form: FormData): Promise<PageResponse> {
    return this.request("POST", path, form);
  }

  async login(oem: string, password = `sandbox-${oem}-pass`, username = "nightshift"): Promise<PageResponse> {
    return this.postForm(`/portals/${oem}/login`, { username, password, returnTo: `/portals/${oem}/` });
  }
}

/** Extracts the text of the first element carrying the given data-testid. */
export function byTestId(html: string, testid: string): string | null {
  const re = new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`);
  return re.exec(html)?.[1]?.trim() ?? null;
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local webhook receiver answering each request with the next status in `statuses` (then 200). */
export async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      res.statusCode = queue.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/crm`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A valid VIN / serial / instrument id for the happy paths. */
export const UNITS = { arden: "1ARDN5TG2PK104523", borealis: "BM-EX2-004512", corvid: "CI-4821-0093" } as const;

export function yesterday(): string {
  return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}
