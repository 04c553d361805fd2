// The sandbox HTTP server: simulated CRM (REST + signed webhooks), three OEM portals, admin API.
// `startSandbox(options)` is the programmatic entry; sandbox/main.ts is the CLI.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAdminRoutes } from "./admin/routes.js";
import { silentLogger, type Logger, type PortalCredentials, type ResolvedOptions, type SandboxRuntime, type WebhookRetryOptions } from "./context.js";
import { crmGate, registerCrmApi } from "./crm/api.js";
import { WebhookDispatcher } from "./crm/webhooks.js";
import { OEM_IDS, isOemId, type OemId } from "./domain.js";
import { defaultFaults, mergeFaults, parseFaultsPatch, type Faults, type FaultsPatch } from "./faults.js";
import { html } from "./html.js";
import { HttpError, Router, sendHtml, sendJson, type RequestContext } from "./http.js";
import { registerIndexPages } from "./index-page.js";
import { registerArdenPortal } from "./portals/arden/routes.js";
import { registerBorealisPortal } from "./portals/borealis/routes.js";
import { portalGate } from "./portals/common.js";
import { registerCorvidPortal } from "./portals/corvid/routes.js";
import { PortalSessions } from "./portals/sessions.js";
import { initialAccounts } from "./portals/accounts.js";
import { isBase32Secret } from "./portals/totp.js";
import type { Random } from "./random.js";
import { seedState } from "./seed.js";
import { SandboxState, StatePersistence } from "./state.js";

export interface SandboxOptions {
  /** 0 = a random free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Nightshift's POST /api/webhooks/crm. When unset the CRM sends no webhooks. */
  webhookUrl?: string | null;
  /** Standard Webhooks secret (`whsec_…`); required with webhookUrl. */
  webhookSecret?: string | null;
  /** Bearer token the CRM API requires. Default `sandbox-crm-token`. */
  crmToken?: string;
  /** Per-portal credentials. Default username `nightshift`, password `sandbox-<oem>-pass`. */
  portalCredentials?: Partial<Record<OemId, Partial<PortalCredentials>>>;
  /**
   * A TOTP second factor per portal (base32 secret, ≥ 16 characters): after the password the
   * portal asks for a one-time code. Off by default; also set with PUT /sandbox/admin/portals/:oem/account.
   */
  portalTotp?: Partial<Record<OemId, string>>;
  /** Initial fault knobs (merged over "all off"). */
  faults?: FaultsPatch;
  /** Create the seed cases on first start (not when a data file already has state). */
  seed?: boolean;
  /** Persist CRM cases, idempotency records and filings to this JSON file. */
  dataFile?: string | null;
  /** Injectable RNG for fault decisions and confirmation numbers. Default Math.random. */
  random?: Random;
  logger?: Logger;
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** How long a hang fault holds a request before destroying the socket. Default 30 000 ms. */
  hangTimeoutMs?: number;
  /** A portal session idle this long is over (it stops counting as open). Default 30 min. */
  sessionIdleMs?: number;
}

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  state: SandboxState;
  /** Current knobs (live object; replace via setFaults or the admin API). */
  readonly faults: Faults;
  /** Merges a partial knob update (same rules as PUT /sandbox/admin/faults). */
  setFaults(patch: FaultsPatch): Faults;
  close(): Promise<void>;
}

function resolveOptions(options: SandboxOptions): ResolvedOptions {
  const credentials = {} as Record<OemId, PortalCredentials>;
  for (const oem of OEM_IDS) {
    credentials[oem] = {
      username: options.portalCredentials?.[oem]?.username ?? "nightshift",
      password: options.portalCredentials?.[oem]?.password ?? `sandbox-${oem}-pass`,
    };
  }
  for (const [oem, secret] of Object.entries(options.portalTotp ?? {})) {
    if (!isOemId(oem) || !isBase32Secret(secret)) throw new Error(`Invalid sandbox portalTotp.${oem}: a base32 secret (A–Z, 2–7) of at least 16 characters`);
  }
  let initialFaults = defaultFaults();
  if (options.faults) {
    const parsed = parseFaultsPatch(options.faults);
    if (!parsed.ok) throw new Error(`Invalid sandbox faults: ${parsed.reason}`);
    initialFaults = mergeFaults(initialFaults, parsed.patch);
  }
  return {
    host: options.host ?? "127.0.0.1",
    crmToken: options.crmToken ?? "sandbox-crm-token",
    portalCredentials: credentials,
    portalTotp: { ...options.portalTotp },
    seed: options.seed ?? false,
    dataFile: options.dataFile ?? null,
    webhookRetry: {
      maxAttempts: options.webhookRetry?.maxAttempts ?? 8,
      baseDelayMs: options.webhookRetry?.baseDelayMs ?? 500,
      maxDelayMs: options.webhookRetry?.maxDelayMs ?? 30_000,
      timeoutMs: options.webhookRetry?.timeoutMs ?? 10_000,
    },
    hangTimeoutMs: options.hangTimeoutMs ?? 30_000,
    initialFaults,
  };
}

function wantsJson(pathname: string): boolean {
  return pathname.startsWith("/crm/api") || pathname.startsWith("/sandbox/");
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  const logger = options.logger ?? silentLogger;
  if (options.webhookUrl && !options.webhookSecret) throw new Error("webhookSecret is required when webhookUrl is set");
  const state = new SandboxState();
  const persistence = resolved.dataFile ? new StatePersistence(resolved.dataFile, state) : null;
  const hangs = new Set<NodeJS.Timeout>();
  const webhooks = new WebhookDispatcher(
    state,
    options.webhookUrl && options.webhookSecret ? { url: options.webhookUrl, secret: options.webhookSecret } : null,
    resolved.webhookRetry,
    logger,
  );

  const rt: SandboxRuntime = {
    state,
    faults: structuredClone(resolved.initialFaults),
    random: options.random ?? Math.random,
    options: resolved,
    logger,
    webhooks,
    sessions: new PortalSessions(options.sessionIdleMs),
    accounts: initialAccounts(resolved),
    persist: () => persistence?.schedule(),
    hang: (req, res) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          hangs.delete(timer);
          req.socket.destroy();
          resolve();
        }, resolved.hangTimeoutMs);
        hangs.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          hangs.delete(timer);
          resolve();
        });
      }),
    reseed: () => seedState(state),
  };

  const loaded = persistence?.load() ?? false;
  if (!loaded && resolved.seed) rt.reseed();
  if (persistence && !loaded) persistence.flush();

  const router = new Router();
  const startedAt = Date.now();
  registerAdminRoutes(router, rt, startedAt);
  registerCrmApi(router, rt);
  registerArdenPortal(router, rt);
  registerBorealisPortal(router, rt);
  registerCorvidPortal(router, rt);
  registerIndexPages(router, rt);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const method = (req.method ?? "GET").toUpperCase();
    const ctx: RequestContext = { req, res, url, method, params: {} };
    const path = url.pathname;
    if (path.startsWith("/crm/api/") || path === "/crm/api") {
      if (!(await crmGate(rt, ctx))) return;
    } else {
      const portal = /^\/portals\/([^/]+)/.exec(path)?.[1];
      if (portal !== undefined && isOemId(portal) && !(await portalGate(rt, portal, ctx))) return;
    }
    if (/^\/portals\/[a-z]+$/.test(path)) {
      res.writeHead(308, { location: `${path}/`, "content-length": 0 });
      res.end();
      return;
    }
    const match = router.match(method, path);
    if ("handler" in match) {
      ctx.params = match.params;
      await match.handler(ctx);
      return;
    }
    const status = match.methodMismatch ? 405 : 404;
    if (wantsJson(path)) {
      sendJson(res, status, { error: { code: status === 405 ? "method_not_allowed" : "not_found", message: `${method} ${path} is not a sandbox route` } });
    } else {
      sendHtml(res, status, html`<!doctype html><title>Not found</title><h1>${status === 405 ? "Method not allowed" : "Page not found"}</h1><p><a href="/">Sandbox home</a></p>`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const path = req.url ?? "/";
      if (error instanceof HttpError) {
        if (wantsJson(path)) sendJson(res, error.status, { error: { code: error.code, message: error.message } });
        else sendHtml(res, error.status, html`<!doctype html><title>Error</title><h1>${error.message}</h1>`);
        return;
      }
      logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error), path }, "sandbox request failed");
      if (wantsJson(path)) sendJson(res, 500, { error: { code: "sandbox_error", message: "Unexpected sandbox error" } });
      else sendHtml(res, 500, html`<!doctype html><title>Error</title><h1>Unexpected sandbox error</h1>`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, resolved.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    state,
    get faults() {
      return rt.faults;
    },
    setFaults(patch: FaultsPatch): Faults {
      const parsed = parseFaultsPatch(patch);
      if (!parsed.ok) throw new Error(`Invalid sandbox faults: ${parsed.reason}`);
      rt.faults = mergeFaults(rt.faults, parsed.patch);
      return rt.faults;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        webhooks.close();
        for (const timer of hangs) clearTimeout(timer);
        hangs.clear();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        persistence?.flush();
      })();
      return closing;
    },
  };
}
