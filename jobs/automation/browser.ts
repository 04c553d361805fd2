import { createHash } from "node:crypto";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import type { Logger } from "@/lib/log";

/** A browser server the worker connects to instead of launching Chromium (BROWSER_WS_ENDPOINT). */
export interface RemoteBrowser {
  wsEndpoint: string;
  /** `playwright`: chromium.connect (a launchServer/run-server of the same major.minor); `cdp`: connectOverCDP. */
  protocol: "playwright" | "cdp";
}

/** When the worker's browser is replaced by a fresh one (BROWSER_RECYCLE_CONTEXTS / _MINUTES). */
export interface BrowserRecycling {
  maxContexts: number;
  maxAgeMs: number;
}

export interface BrowserPoolOptions {
  /** The local Chromium; unused with `remote`. */
  executablePath: string;
  log: Logger;
  headless?: boolean;
  remote?: RemoteBrowser;
  /** Without it a browser is kept until it crashes or disconnects. */
  recycle?: BrowserRecycling;
  /** Portal session slots across all workers; without it there is no limit and no reuse. */
  slots?: SlotStore;
  /** A signed-in context is reused at most this many times (default 50)… */
  maxSessionUses?: number;
  /** …and dropped after this long idle (default 2 min). */
  sessionIdleMs?: number;
}

/** The slot table as one worker sees it (lib/portals/sessions.ts bound to its database and id). */
export interface SlotStore {
  acquire(params: { oemId: string; limit: number; runId: string }): Promise<number | null>;
  assign(params: { oemId: string; slot: number; runId: string | null; limit?: number }): Promise<boolean>;
  release(params: { oemId: string; slot: number }): Promise<void>;
}

/** Who a portal session belongs to: a session is never reused across portals, addresses or credentials. */
export interface PortalIdentity {
  oemId: string;
  portalUrl: string;
  username: string;
  password: string;
  totpSecret?: string;
}

interface SignedIn {
  portalUrl: string;
  /** The portal's sign-out address; without one a session cannot be closed, so it is never kept. */
  signOutUrl: string | null;
  /** The context's cookies for the portal right after sign-in, to sign out even after the context is gone. */
  cookieHeader: string;
}

interface CachedSession {
  identity: string;
  oemId: string;
  slot: number;
  context: BrowserContext;
  closed: boolean;
  uses: number;
  busy: boolean;
  idleSince: number;
}

const signedInContexts = new WeakMap<BrowserContext, SignedIn>();

/**
 * One browser (launched or connected) and the contexts made on it. A worn-out generation is
 * retired: new contexts go to a fresh one, and it closes when its last context has closed.
 */
interface Generation {
  browser: Promise<Browser>;
  startedAt: number;
  contextsCreated: number;
  openContexts: number;
  retiring: boolean;
  closing: boolean;
}
const contextGenerations = new WeakMap<BrowserContext, Generation>();
/** Browsers that went away without this pool closing them (a crash, a remote server gone). */
const lostBrowsers = new WeakSet<Browser>();

/**
 * Called by the portal kit after a successful sign-in: the context now holds a portal session,
 * which must be signed out before the context is dropped (closing a browser does not end it).
 */
export async function noteSignedIn(context: BrowserContext, params: { portalUrl: string; signOutUrl: string | null }): Promise<void> {
  const cookies = await context.cookies(params.portalUrl);
  signedInContexts.set(context, { ...params, cookieHeader: cookies.map((c) => `${c.name}=${c.value}`).join("; ") });
}

/** Whether this context is already signed in to the portal at `portalUrl` (a reused session). */
export function isSignedIn(context: BrowserContext, portalUrl: string): boolean {
  return signedInContexts.get(context)?.portalUrl === portalUrl;
}

/** The portal ended the session (the kit found itself on the sign-in page). */
export function forgetSignedIn(context: BrowserContext): void {
  signedInContexts.delete(context);
}

/**
 * A run's hold on one portal session slot, from before its context opens until `end()`. When the
 * attempt went well, the signed-in context stays cached in the slot for the worker's next attempt
 * on the same portal with the same credentials; otherwise it is signed out and the slot released.
 */
export class PortalLease {
  /** @internal the cached session this lease reuses or keeps. */
  session: CachedSession | undefined;
  private ended = false;

  constructor(
    private readonly pool: SharedBrowser,
    readonly identity: PortalIdentity,
    readonly slot: number,
    session: CachedSession | undefined,
  ) {
    this.session = session;
  }

  get reused(): boolean {
    return this.session !== undefined && this.session.uses > 1;
  }

  /** Ends the hold: a kept session becomes idle (the slot stays this worker's), otherwise the slot is released. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.endLease(this);
  }
}

/**
 * One shared Chromium per worker process, launched locally or connected to a browser server
 * (`remote`). Relaunches (reconnects) after a crash or disconnect, and recycles a worn-out browser
 * (`recycle`: after N contexts or M minutes) without interrupting the attempts on it. Contexts are
 * always closed (and signed out of their portal) by `withContext` unless a portal lease keeps a
 * healthy signed-in one for reuse: one context per held slot, used by one attempt at a time,
 * dropped on any failure, after `maxSessionUses` uses or `sessionIdleMs` idle, when another worker
 * wants the slot (`releaseIdle`), and never reused with other credentials.
 */
export class SharedBrowser {
  /** Where new contexts go; undefined until the first, and after a crash, disconnect or retirement. */
  private current: Generation | undefined;
  /** Every generation whose browser is not closed yet (the current one and retiring ones). */
  private readonly generations = new Set<Generation>();
  private launches = 0;
  private closed = false;
  private readonly cache: CachedSession[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BrowserPoolOptions) {
    if (options.slots) {
      this.idleTimer = setInterval(() => void this.dropIdle((s) => Date.now() - s.idleSince > this.sessionIdleMs), Math.min(5_000, this.sessionIdleMs));
      this.idleTimer.unref();
    }
  }

  private get sessionIdleMs(): number {
    return this.options.sessionIdleMs ?? 120_000;
  }

  /**
   * Whether `browser` went away without this pool closing it (not a recycle, not shutdown),
   * waiting up to `waitMs` for a disconnect still on its way: a remote server going away fails the
   * page's calls a moment before the connection itself reports closed.
   */
  async lostUnexpectedly(browser: Browser, waitMs = 0): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    while (!lostBrowsers.has(browser) && browser.isConnected() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Still connected at the deadline: not lost. Disconnected: lost unless we closed it ourselves.
    if (lostBrowsers.has(browser)) return true;
    if (browser.isConnected()) return false;
    // The event may lag isConnected() by a tick.
    await new Promise((r) => setTimeout(r, 50));
    return lostBrowsers.has(browser);
  }

  /** Browsers launched or connected so far, and how many are open (a retiring one drains beside the current). */
  stats(): { launches: number; open: number } {
    return { launches: this.launches, open: this.generations.size };
  }

  private open(): Promise<Browser> {
    const remote = this.options.remote;
    if (remote) {
      // A remote browser is the server's to keep: closing our side only disconnects.
      return remote.protocol === "cdp" ? chromium.connectOverCDP(remote.wsEndpoint, { timeout: 30_000 }) : chromium.connect(remote.wsEndpoint, { timeout: 30_000 });
    }
    return chromium.launch({
      executablePath: this.options.executablePath,
      headless: this.options.headless ?? true,
      timeout: 30_000,
      // We drain on SIGTERM ourselves (attempts finish or are recorded as interrupted, then the
      // browser closes); Playwright's own handlers would kill Chromium under the running attempts.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  }

  private start(): Generation {
    this.launches += 1;
    const generation: Generation = { browser: this.open(), startedAt: Date.now(), contextsCreated: 0, openContexts: 0, retiring: false, closing: false };
    this.generations.add(generation);
    generation.browser.then(
      (browser) => {
        // Its age counts from when it was up, not from when it was asked for (a slow launch is no age).
        generation.startedAt = Date.now();
        browser.on("disconnected", () => {
          this.generations.delete(generation);
          if (this.current === generation) this.current = undefined;
          if (!this.closed && !generation.closing) lostBrowsers.add(browser);
          if (!this.closed && !generation.closing) this.options.log.warn(this.options.remote ? "remote browser disconnected; the next attempt connects again" : "browser disconnected; the next attempt relaunches it");
          // Cached contexts died with the browser: their portal sessions are signed out over HTTP.
          void this.dropIdle((s) => contextGenerations.get(s.context) === generation);
        });
      },
      () => {
        this.generations.delete(generation);
        if (this.current === generation) this.current = undefined;
      },
    );
    return generation;
  }

  private wornOut(generation: Generation): boolean {
    const recycle = this.options.recycle;
    if (!recycle) return false;
    return generation.contextsCreated >= recycle.maxContexts || Date.now() - generation.startedAt >= recycle.maxAgeMs;
  }

  /**
   * Stops giving out a browser: new contexts go to a fresh one; idle kept sessions on it are signed
   * out (their slots released) and it closes once its last context has closed (drain).
   */
  private retire(generation: Generation): void {
    if (generation.retiring) return;
    generation.retiring = true;
    if (this.current === generation) this.current = undefined;
    this.options.log.info({ contexts: generation.contextsCreated, minutes: Math.round((Date.now() - generation.startedAt) / 60_000) }, "recycling the browser: new contexts go to a fresh one, this one closes after its last context");
    void this.dropIdle((s) => contextGenerations.get(s.context) === generation).then(() => this.closeIfDrained(generation));
  }

  private async closeIfDrained(generation: Generation): Promise<void> {
    if (!generation.retiring || generation.closing || generation.openContexts > 0) return;
    generation.closing = true;
    this.generations.delete(generation);
    const browser = await generation.browser.catch(() => undefined);
    await browser?.close().catch(() => {});
  }

  /** The generation a new context goes to (counted at once, so concurrent callers see the count). */
  private generationForContext(): Generation {
    if (this.closed) throw new Error("browser is shutting down");
    if (this.current && this.wornOut(this.current)) this.retire(this.current);
    this.current ??= this.start();
    this.current.contextsCreated += 1;
    this.current.openContexts += 1;
    return this.current;
  }

  private async newContext(retried = false): Promise<BrowserContext> {
    const generation = this.generationForContext();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      generation.openContexts -= 1;
      void this.closeIfDrained(generation);
    };
    let context: BrowserContext;
    try {
      const browser = await generation.browser;
      if (!browser.isConnected()) {
        // Disconnected, and the event has not been handled yet: start afresh once.
        this.generations.delete(generation);
        if (this.current === generation) this.current = undefined;
        release();
        if (!retried) return await this.newContext(true);
        throw new Error("Browser has disconnected");
      }
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", timezoneId: "UTC", acceptDownloads: false });
    } catch (error) {
      release();
      throw error;
    }
    contextGenerations.set(context, generation);
    context.once("close", release);
    return context;
  }

  /** Whether a kept session may be used again: its browser is connected, not retiring, not past its age. */
  private reusable(context: BrowserContext): boolean {
    const generation = contextGenerations.get(context);
    if (!generation || generation.retiring || context.browser()?.isConnected() !== true) return false;
    const recycle = this.options.recycle;
    return !recycle || Date.now() - generation.startedAt < recycle.maxAgeMs;
  }

  /**
   * Takes a session slot of a portal for a run: this worker's idle signed-in session for the same
   * identity (when it is still within `limit`), else a free slot. Null: the portal's sessions are
   * at the limit. Without a slot store every lease succeeds (no limit, no reuse).
   */
  async leasePortal(identity: PortalIdentity, params: { limit: number; runId: string }): Promise<PortalLease | null> {
    const slots = this.options.slots;
    if (!slots) return new PortalLease(this, identity, -1, undefined);
    const key = identityKey(identity);
    for (const cached of this.cache.filter((s) => s.oemId === identity.oemId && !s.busy)) {
      cached.busy = true;
      const usable = cached.identity === key && !cached.closed && this.reusable(cached.context) && cached.uses < this.maxUses;
      if (usable && (await slots.assign({ oemId: cached.oemId, slot: cached.slot, runId: params.runId, limit: params.limit }).catch(() => false))) {
        cached.uses += 1;
        return new PortalLease(this, identity, cached.slot, cached);
      }
      // Other credentials, worn out, on a retiring browser, above a lowered limit, or swept: sign it out and free the slot.
      await this.drop(cached, true);
    }
    const slot = await slots.acquire({ oemId: identity.oemId, limit: params.limit, runId: params.runId });
    return slot === null ? null : new PortalLease(this, identity, slot, undefined);
  }

  private get maxUses(): number {
    return this.options.maxSessionUses ?? 50;
  }

  /**
   * Runs `fn` in a browser context: the lease's cached signed-in context, or a fresh one. After
   * `fn` resolves, a lease keeps the context for reuse when it is signed in and can be signed out
   * (pages closed, tracing stopped); on any failure the context is signed out and closed.
   */
  async withContext<T>(fn: (context: BrowserContext) => Promise<T>, lease?: PortalLease): Promise<T> {
    const cached = lease?.session;
    const context = cached ? cached.context : await this.newContext();
    let keep = false;
    try {
      const value = await fn(context);
      keep = lease !== undefined && this.options.slots !== undefined && (await this.cleanForReuse(context, lease.identity.portalUrl));
      if (keep && lease && !lease.session) {
        const session: CachedSession = { identity: identityKey(lease.identity), oemId: lease.identity.oemId, slot: lease.slot, context, closed: false, uses: 1, busy: true, idleSince: Date.now() };
        context.once("close", () => {
          session.closed = true;
        });
        this.cache.push(session);
        lease.session = session;
      }
      return value;
    } finally {
      if (!keep) {
        if (cached) this.forget(cached);
        if (lease) lease.session = undefined;
        await closeSignedOut(context);
      }
    }
  }

  /** @internal see PortalLease.end */
  async endLease(lease: PortalLease): Promise<void> {
    const slots = this.options.slots;
    if (!slots || lease.slot < 0) return;
    const session = lease.session;
    if (session) {
      // The slot row first: once the session is marked idle another attempt of this worker may take it.
      // A session whose browser was recycled meanwhile is signed out instead, so that browser can drain.
      if (!this.closed && this.reusable(session.context) && (await slots.assign({ oemId: session.oemId, slot: session.slot, runId: null }).catch(() => false))) {
        session.busy = false;
        session.idleSince = Date.now();
        return;
      }
      await this.drop(session, true);
      return;
    }
    await slots.release({ oemId: lease.identity.oemId, slot: lease.slot }).catch((error: unknown) => this.options.log.warn({ err: error }, "could not release a portal session slot"));
  }

  /** Another worker wants a slot of this portal: give back this worker's idle sessions of it. */
  async releaseIdle(oemId: string): Promise<void> {
    await this.dropIdle((s) => s.oemId === oemId);
  }

  private async dropIdle(which: (session: CachedSession) => boolean): Promise<void> {
    for (const session of this.cache.filter((s) => !s.busy && which(s))) {
      session.busy = true;
      await this.drop(session, true);
    }
  }

  /** Signs a cached session out, closes its context, and (when `release`) gives its slot back — in that order. */
  private async drop(session: CachedSession, release: boolean): Promise<void> {
    this.forget(session);
    await closeSignedOut(session.context);
    if (release) {
      await this.options.slots
        ?.release({ oemId: session.oemId, slot: session.slot })
        .catch((error: unknown) => this.options.log.warn({ err: error }, "could not release a portal session slot"));
    }
  }

  private forget(session: CachedSession): void {
    const index = this.cache.indexOf(session);
    if (index >= 0) this.cache.splice(index, 1);
  }

  /** Leaves a signed-in context as a fresh attempt expects it: no pages, no trace running. False: not reusable. */
  private async cleanForReuse(context: BrowserContext, portalUrl: string): Promise<boolean> {
    const signedIn = signedInContexts.get(context);
    if (!signedIn || signedIn.portalUrl !== portalUrl || !signedIn.signOutUrl) return false;
    try {
      // Stopping a trace that is not running throws; either way none runs afterwards.
      await context.tracing.stop().catch(() => {});
      for (const page of context.pages()) await page.close();
      // A context on a recycled browser is signed out and closed instead, so that browser can drain.
      return this.reusable(context);
    } catch {
      return false;
    }
  }

  /** Signs out every cached session, gives back their slots, then closes the browser. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearInterval(this.idleTimer);
    await this.dropIdle(() => true);
    this.current = undefined;
    const open = [...this.generations];
    this.generations.clear();
    for (const generation of open) generation.closing = true;
    await Promise.all(open.map(async (g) => (await g.browser.catch(() => undefined))?.close().catch(() => {})));
  }
}

function identityKey(identity: PortalIdentity): string {
  return createHash("sha256").update(JSON.stringify([identity.oemId, identity.portalUrl, identity.username, identity.password, identity.totpSecret ?? null])).digest("hex");
}

/** Signs the context's portal session out (over plain HTTP, so it works after a crash of the page too), then closes it. */
async function closeSignedOut(context: BrowserContext): Promise<void> {
  const signedIn = signedInContexts.get(context);
  signedInContexts.delete(context);
  await context.close().catch(() => {});
  if (signedIn?.signOutUrl) {
    await fetch(signedIn.signOutUrl, { headers: { cookie: signedIn.cookieHeader }, redirect: "manual", signal: AbortSignal.timeout(5_000) })
      .then((response) => response.arrayBuffer())
      .catch(() => {});
  }
}
