// Portal sessions (in memory only: a sandbox restart logs everyone out, as real portals do),
// per-account failed-login counters for the optional lockout, and per-portal session counts.
//
// What a "session" is, as the portal sees it: it opens with a successful sign-in and stays open
// until sign-out, until the portal ends it (a form posted behind a pending session-expiry
// interstitial, a sign-in page opened behind it, a new sign-in from the same browser), or until it
// has been idle for `idleMs` (30 min by default). Closing a browser does not end it: a client that
// wants to stay within a portal's session limit must sign out. An idle signed-in session that a
// client keeps for reuse counts as open.

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

/** Drift 2's service notice: set (to the notice's id) when it is acknowledged; a session cookie. */
export function noticeCookieName(oem: OemId): string {
  return `${oem}_notice_ack`;
}

/** Per-portal session figures: open now, the most open at any instant, sign-ins. */
export interface PortalSessionStats {
  active: number;
  maxObserved: number;
  logins: number;
}

/** A sign-in whose password was right, waiting for the one-time code (portals with a TOTP step). */
export interface SecondFactorChallenge {
  id: string;
  oem: OemId;
  username: string;
  returnTo: string;
  createdAt: number;
}

/** How long a password-verified sign-in waits for its one-time code. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export function challengeCookieName(oem: OemId): string {
  return `${oem}_mfa`;
}

export class PortalSessions {
  private readonly sessions = new Map<string, PortalSession>();
  private readonly challenges = new Map<string, SecondFactorChallenge>();
  private readonly failedLogins = new Map<string, number>();
  private readonly stats = new Map<OemId, { maxObserved: number; logins: number }>();

  constructor(private readonly idleMs: number = SESSION_IDLE_MS) {}

  get idleTimeoutMs(): number {
    return this.idleMs;
  }

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
    const stats = this.statsOf(oem);
    stats.logins += 1;
    stats.maxObserved = Math.max(stats.maxObserved, this.active(oem));
    return session;
  }

  /** Open sessions of a portal now (idle-expired ones are dropped first). */
  active(oem: OemId): number {
    const now = Date.now();
    let n = 0;
    for (const [id, session] of this.sessions) {
      if (now - session.lastSeenAt > this.idleMs) this.sessions.delete(id);
      else if (session.oem === oem) n += 1;
    }
    return n;
  }

  statsFor(oem: OemId): PortalSessionStats {
    const stats = this.statsOf(oem);
    return { active: this.active(oem), maxObserved: stats.maxObserved, logins: stats.logins };
  }

  /** Starts a new measurement: the maximum restarts from the sessions open now, sign-ins from 0. */
  resetStats(): void {
    for (const [oem, stats] of this.stats) {
      stats.maxObserved = this.active(oem);
      stats.logins = 0;
    }
  }

  private statsOf(oem: OemId): { maxObserved: number; logins: number } {
    let stats = this.stats.get(oem);
    if (!stats) {
      stats = { maxObserved: 0, logins: 0 };
      this.stats.set(oem, stats);
    }
    return stats;
  }

  /** Returns a live session of this portal, touching it; expired or foreign ids yield null. */
  get(oem: OemId, id: string | undefined): PortalSession | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session || session.oem !== oem) return null;
    const now = Date.now();
    if (now - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of an account (its password changed), as portals do. */
  destroyAccount(oem: OemId, username: string): number {
    let n = 0;
    for (const [id, session] of this.sessions) {
      if (session.oem === oem && session.username === username) {
        this.sessions.delete(id);
        n += 1;
      }
    }
    for (const [id, challenge] of this.challenges) if (challenge.oem === oem) this.challenges.delete(id);
    return n;
  }

  createChallenge(oem: OemId, username: string, returnTo: string): SecondFactorChallenge {
    const challenge = { id: randomBytes(18).toString("base64url"), oem, username, returnTo, createdAt: Date.now() };
    this.challenges.set(challenge.id, challenge);
    return challenge;
  }

  /** A live challenge of this portal, or null (unknown, foreign or older than CHALLENGE_TTL_MS). */
  getChallenge(oem: OemId, id: string | undefined): SecondFactorChallenge | null {
    if (!id) return null;
    const challenge = this.challenges.get(id);
    if (!challenge || challenge.oem !== oem) return null;
    if (Date.now() - challenge.createdAt > CHALLENGE_TTL_MS) {
      this.challenges.delete(id);
      return null;
    }
    return challenge;
  }

  endChallenge(id: string): void {
    this.challenges.delete(id);
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
    this.challenges.clear();
    this.failedLogins.clear();
    this.stats.clear();
  }
}
