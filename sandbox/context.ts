// The runtime shared by every sandbox route module: state, knobs, options, helpers.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { OemId } from "./domain.js";
import type { Faults } from "./faults.js";
import type { Random } from "./random.js";
import type { SandboxState } from "./state.js";
import type { WebhookDispatcher } from "./crm/webhooks.js";
import type { PortalSessions } from "./portals/sessions.js";

/** The subset of a pino logger the sandbox uses (pino satisfies it; tests may pass a no-op). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface PortalCredentials {
  username: string;
  password: string;
}

/** A portal account as the portal knows it now: sign-in and, when set, its TOTP second factor (base32 secret). */
export interface PortalAccount extends PortalCredentials {
  totpSecret: string | null;
}

export interface WebhookRetryOptions {
  /** Total tries per delivery, including the first. Default 8. */
  maxAttempts: number;
  /** Delay before the 2nd try; doubles each time (0.5 s, 1 s, 2 s, 4 s …). Default 500. */
  baseDelayMs: number;
  /** Upper bound for one delay. Default 30 000. */
  maxDelayMs: number;
  /** Per-try request timeout. Default 10 000. */
  timeoutMs: number;
}

export interface ResolvedOptions {
  host: string;
  crmToken: string;
  portalCredentials: Record<OemId, PortalCredentials>;
  /** TOTP secrets (base32) of portals that ask for a one-time code after the password; none by default. */
  portalTotp: Partial<Record<OemId, string>>;
  seed: boolean;
  dataFile: string | null;
  webhookRetry: WebhookRetryOptions;
  /** How long a "hang" fault holds a request before destroying the socket. Default 30 000. */
  hangTimeoutMs: number;
  /** Knobs restored by POST /sandbox/admin/reset. */
  initialFaults: Faults;
}

export interface SandboxRuntime {
  state: SandboxState;
  faults: Faults;
  random: Random;
  options: ResolvedOptions;
  logger: Logger;
  webhooks: WebhookDispatcher;
  sessions: PortalSessions;
  /** The portal accounts now (start options, changed by the admin API, restored by reset). */
  accounts: Record<OemId, PortalAccount>;
  /** Schedules a (debounced) save when a data file is configured. */
  persist(): void;
  /** Holds the request open until the hang cap, then destroys the socket. */
  hang(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Re-creates the seeded cases and filings. */
  reseed(): void;
}
