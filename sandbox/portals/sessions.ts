// Portal sessions (in memory only: a sandbox restart logs everyone out, as real portals do)
// and per-account failed-login counters for the optional lockout.

import { randomBytes } from "node:crypto";
import type { OemId } from "../domain.js";
import type { FilingDocument } from "../state.js";

export interface WizardDraft {
  fields: Record<string, string>;
  step1Done: boolean;
  step2Done: boolean;
  document: FilingDocument | null;
}

export interface PortalSession {
  id: string;
  oem: OemId;
  username: string;
  createdAt: number;
  lastSeenAt: number;
  /** Set when the session-expiry interstitial was shown; cleared by "Continue session". */
  expiryPending: boolean;
  /** Borealis wizard progress. */
  draft: WizardDraft | null;
}

export const SESSION_IDLE_MS = 30 * 60 * 1000;

export function sessionCookieName(oem: OemId): string {
  return `${oem}_session`;
}

export function consentCookieName(oem: OemId): string {
  return `${oem}_cookie_consent`;
}

export class PortalSessions {
  private readonly sessions = new Map<string, PortalSession>();
  private readonly failedLogins = new Map<string, number>();

  create(oem: OemId, username: string): PortalSession {
    const now = Date.now();
    const session: PortalSession = {
      id: randomBytes(18).toString("base64url"),
      oem,
      username,
      createdAt: now,
      lastSeenAt: now,
      expiryPending: false,
      draft: null,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Returns a live session of this portal, touching it; expired or foreign ids yield null. */
  get(oem: OemId, id: string | undefined): PortalSession | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session || session.oem !== oem) return null;
    const now = Date.now();
    if (now - session.lastSeenAt > SESSION_IDLE_MS) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  failedCount(oem: OemId, username: string): number {
    return this.failedLogins.get(`${oem}:${username}`) ?? 0;
  }

  recordFailure(oem: OemId, username: string): number {
    const key = `${oem}:${username}`;
    const n = (this.failedLogins.get(key) ?? 0) + 1;
    this.failedLogins.set(key, n);
    return n;
  }

  resetFailures(oem: OemId, username?: string): void {
    if (username !== undefined) {
      this.failedLogins.delete(`${oem}:${username}`);
      return;
    }
    for (const key of [...this.failedLogins.keys()]) if (key.startsWith(`${oem}:`)) this.failedLogins.delete(key);
  }

  clear(): void {
    this.sessions.clear();
    this.failedLogins.clear();
  }
}
