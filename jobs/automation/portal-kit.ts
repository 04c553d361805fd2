// Shared portal-driving helpers for the adapters: navigation with error-page detection, pop-up
// dismissal, sign-in, the filings search, bounded element lookup with documented fallbacks
// ("healing"), and reading the portal's refusals. Selectors follow sandbox/README.md.

import { errors, type Locator, type Page, type Response } from "playwright-core";
import { AttemptError, PopupBlockedError, PortalAuthError, PortalRejectedError, PortalUnavailableError, SelectorMissingError } from "@/lib/runs/errors";
import type { AdapterContext, AdapterResult } from "./adapter";

/** How long an element the adapter needs may take to appear before the portal counts as changed. */
export const REQUIRED_TIMEOUT_MS = 5_000;
/** The survey modal is rendered hidden and shown 400 ms after load. */
const DELAYED_POPUP_WAIT_MS = 2_000;
const POPUP_DISMISS_TIMEOUT_MS = 5_000;
/** A pop-up that is still there after this many dismissals blocks the page. */
const MAX_POPUP_ROUNDS = 4;

type Driver = Pick<AdapterContext, "page" | "log">;

// ---------------------------------------------------------------------------------------------
// Targets and healing

/** An element the adapter needs: its primary selector, then the documented fallbacks (healing). */
export interface Target {
  name: string;
  selectors: readonly [string, ...string[]];
}

export function target(name: string, primary: string, ...fallbacks: string[]): Target {
  return { name, selectors: [primary, ...fallbacks] };
}

/**
 * Waits (bounded) for `locator` to be visible and returns it; throws `SelectorMissingError(name)`
 * when it never appears. An element that exists but then fails an action stays a Playwright error.
 */
export async function required(locator: Locator, name: string, options: { timeout?: number; state?: "visible" | "attached" } = {}): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: options.state ?? "visible", timeout: options.timeout ?? REQUIRED_TIMEOUT_MS });
    return locator;
  } catch (error) {
    if (error instanceof errors.TimeoutError) throw new SelectorMissingError(name, `Expected element not found on the portal: ${name}`);
    throw error;
  }
}

const healedWarnings = new WeakMap<Page, Set<string>>();

/**
 * Finds a target by its primary selector or, failing that, a documented fallback. A fallback hit
 * is logged once per page (so engineers can approve the healed selector); neither → site_changed.
 */
export async function locate(driver: Driver, t: Target, options: { state?: "visible" | "attached"; timeout?: number } = {}): Promise<Locator> {
  const { page } = driver;
  const candidates = t.selectors.map((selector) => page.locator(selector));
  const any = candidates.reduce((union, candidate) => union.or(candidate));
  await required(any, t.name, options);
  for (const [index, candidate] of candidates.entries()) {
    if ((await candidate.count()) === 0) continue;
    if (index > 0) warnHealed(driver, t, t.selectors[index]!);
    return candidate;
  }
  throw new SelectorMissingError(t.name, `Expected element not found on the portal: ${t.name}`);
}

function warnHealed(driver: Driver, t: Target, healedTo: string): void {
  const seen = healedWarnings.get(driver.page) ?? new Set<string>();
  healedWarnings.set(driver.page, seen);
  if (seen.has(t.name)) return;
  seen.add(t.name);
  driver.log.warn({ selector: t.name, expected: t.selectors[0], healedTo }, `selector healed: ${t.name} found by ${healedTo}`);
}

/** True when any of the target's selectors matches right now (no waiting). */
export async function isPresent(page: Page, t: Target): Promise<boolean> {
  for (const selector of t.selectors) if ((await page.locator(selector).count()) > 0) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Form filling

export async function fillText(driver: Driver, t: Target, value: string): Promise<void> {
  await (await locate(driver, t)).fill(value);
}

/** Selects an option by value; an option the portal no longer offers is a portal change. */
export async function selectValue(driver: Driver, t: Target, value: string): Promise<void> {
  const select = await locate(driver, t);
  if ((await select.locator(`option[value=${JSON.stringify(value)}]`).count()) === 0) {
    throw new SelectorMissingError(`${t.name} option "${value}"`, `The portal's ${t.name} list no longer offers "${value}".`);
  }
  await select.selectOption({ value });
}

export async function setCheckbox(driver: Driver, t: Target, checked: boolean): Promise<void> {
  await (await locate(driver, t)).setChecked(checked);
}

/**
 * Fills the current page. A session-expiry interstitial reloads the page and loses what was typed,
 * so `fill` must be re-runnable: it runs again until a fill survives the pop-up check.
 */
export async function fillPage(page: Page, fill: () => Promise<void>): Promise<void> {
  for (let round = 0; round < MAX_POPUP_ROUNDS; round++) {
    await dismissPopups(page);
    await fill();
    const dismissed = await dismissPopups(page);
    if (!dismissed.includes("session_expiry")) return;
  }
  throw new PopupBlockedError("session_expiry");
}

/** Clears pop-ups right before a final click; a reload at this point would post an empty form. */
export async function clearForSubmit(page: Page): Promise<void> {
  const dismissed = await dismissPopups(page);
  if (dismissed.includes("session_expiry")) {
    throw new AttemptError("site_popup", "form_reloaded", "A session-expiry interstitial reloaded the form just before it was submitted; nothing was sent.");
  }
}

// ---------------------------------------------------------------------------------------------
// Navigation and error pages

/** Markup of error pages (stable under DOM drift). */
const MAINTENANCE = '[data-testid="maintenance"]';
const GATEWAY_ERROR = '[data-testid="gateway-error"]';

/**
 * Navigates to a portal page. An HTTP 5xx (gateway error, maintenance) becomes
 * `PortalUnavailableError`; a navigation timeout stays Playwright's TimeoutError (`nav_timeout`).
 */
export async function gotoPortal(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  await assertPortalAvailable(page, response?.status() ?? null);
}

/**
 * Clicks something that posts a form and waits for the answering page (committed and parsed),
 * then checks it is not an error page. Returns the answer's HTTP status when known.
 */
export async function clickAndWaitForPage(page: Page, button: Locator): Promise<number | null> {
  let status: number | null = null;
  const onResponse = (response: Response) => {
    if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) status = response.status();
  };
  page.on("response", onResponse);
  try {
    const navigated = page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame() });
    await button.click();
    await navigated;
    await page.waitForLoadState("domcontentloaded");
  } finally {
    page.off("response", onResponse);
  }
  await assertPortalAvailable(page, status);
  return status;
}

/** Throws `PortalUnavailableError` when the current page is a maintenance or 5xx page. */
export async function assertPortalAvailable(page: Page, status: number | null): Promise<void> {
  if ((await page.locator(MAINTENANCE).count()) > 0) {
    throw new PortalUnavailableError(503, "The portal is down for scheduled maintenance (HTTP 503).");
  }
  if (status !== null && status >= 500) throw new PortalUnavailableError(status);
  const gateway = page.locator(GATEWAY_ERROR);
  if ((await gateway.count()) > 0) {
    const code = /\b(5\d\d)\b/.exec((await gateway.first().textContent()) ?? "");
    throw new PortalUnavailableError(code ? Number(code[1]) : 502);
  }
}

// ---------------------------------------------------------------------------------------------
// Pop-ups

export type PopupKind = "cookie_wall" | "survey" | "session_expiry";

interface PopupSpec {
  kind: PopupKind;
  root: string;
  dismiss: string;
  /** Rendered hidden and shown shortly after load. */
  delayed?: boolean;
  /** Dismissing reloads the page (form input is lost). */
  reloads?: boolean;
}

// Overlay markup does not change under DOM drift (sandbox/README.md "Pop-ups").
const POPUPS: readonly PopupSpec[] = [
  { kind: "session_expiry", root: '[data-testid="session-expiry"]', dismiss: '[data-testid="session-continue"]', reloads: true },
  { kind: "cookie_wall", root: '[data-testid="cookie-wall"]', dismiss: '[data-testid="cookie-reject"]' },
  { kind: "survey", root: '[data-testid="survey-modal"]', dismiss: '[data-testid="survey-dismiss"]', delayed: true },
];
const ANY_OVERLAY = ".ns-overlay:visible";

/**
 * Dismisses the portal's known pop-ups (cookie wall, survey, session-expiry interstitial) and
 * returns what it dismissed, in order. A pop-up that cannot be dismissed, keeps coming back, or
 * is of an unknown kind throws `PopupBlockedError`. Call after every navigation and before
 * important clicks; after `session_expiry` the page has reloaded and must be filled again.
 */
export async function dismissPopups(page: Page): Promise<PopupKind[]> {
  const dismissed: PopupKind[] = [];
  for (let round = 0; round <= MAX_POPUP_ROUNDS; round++) {
    const popup = await visiblePopup(page);
    if (!popup) return dismissed;
    if (round === MAX_POPUP_ROUNDS) throw new PopupBlockedError(popup.kind);
    await dismissOne(page, popup);
    dismissed.push(popup.kind);
  }
  return dismissed;
}

async function visiblePopup(page: Page): Promise<PopupSpec | null> {
  for (const spec of POPUPS) {
    const root = page.locator(spec.root);
    if ((await root.count()) === 0) continue;
    if (await root.first().isVisible()) return spec;
    if (spec.delayed) {
      const shown = await root
        .first()
        .waitFor({ state: "visible", timeout: DELAYED_POPUP_WAIT_MS })
        .then(() => true)
        .catch(() => false);
      if (shown) return spec;
    }
  }
  if ((await page.locator(ANY_OVERLAY).count()) > 0) throw new PopupBlockedError("unknown overlay");
  return null;
}

async function dismissOne(page: Page, spec: PopupSpec): Promise<void> {
  const root = page.locator(spec.root).first();
  try {
    const button = root.locator(spec.dismiss);
    if (spec.reloads) {
      const reloaded = page.waitForEvent("load", { timeout: POPUP_DISMISS_TIMEOUT_MS });
      await button.click({ timeout: POPUP_DISMISS_TIMEOUT_MS });
      await reloaded;
      await assertPortalAvailable(page, null);
      assertStillSignedIn(page);
    } else {
      await button.click({ timeout: POPUP_DISMISS_TIMEOUT_MS });
      await root.waitFor({ state: "hidden", timeout: POPUP_DISMISS_TIMEOUT_MS });
    }
  } catch (error) {
    if (error instanceof AttemptError) throw error;
    if (spec.reloads || (await root.isVisible().catch(() => false))) throw new PopupBlockedError(spec.kind);
  }
}

// ---------------------------------------------------------------------------------------------
// Portal messages

/**
 * Reads the portal's refusals on the current page — a portal-level message, inline field errors,
 * or the form-errors summary — and throws `PortalRejectedError` with the portal's own words.
 */
export async function readPortalMessages(page: Page): Promise<void> {
  const portalMessage = page.locator('[data-testid="portal-message"]');
  if ((await portalMessage.count()) > 0) throw new PortalRejectedError(await textOf(portalMessage.first()));

  const fieldErrors = await page
    .locator('[data-testid^="field-error-"]')
    .evaluateAll((elements) => elements.map((el) => ({ key: (el.getAttribute("data-testid") ?? "").slice("field-error-".length), text: (el.textContent ?? "").trim() })));
  const first = fieldErrors[0];
  if (first) throw new PortalRejectedError(fieldErrors.map((e) => e.text).join("; "), first.key);

  const summary = page.locator('[data-testid="form-errors"]');
  if ((await summary.count()) > 0) {
    const items = await summary.first().locator("li").allTextContents();
    throw new PortalRejectedError(items.length > 0 ? items.map((i) => i.trim()).join("; ") : await textOf(summary.first()));
  }
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Sign-in and the filings search (the portals' common contract)

export const COMMON = {
  username: target("login username", "#username", "#user-id"),
  password: target("login password", "#password", "#passcode"),
  loginSubmit: target("login button", "#login-submit", "#signin-button"),
  loginError: target("login error", "#login-error", "#signin-error"),
  filingsEmpty: target("filings empty message", '[data-testid="filings-empty"]', '[data-testid="history-empty"]'),
};
const SIGNED_IN = '[data-testid="signed-in-user"]';
/** Filing rows carry these attributes under every DOM version. */
const FILING_ROW = "tr[data-confirmation-number]";

/**
 * Signs in. The password goes through `ctx.fillSecret` only, so it never reaches a trace.
 * "Invalid username or password" and the lock-out message become `PortalAuthError`.
 */
export async function login(ctx: AdapterContext): Promise<void> {
  const { page } = ctx;
  await gotoPortal(page, `${ctx.portalUrl}/login`);
  await dismissPopups(page);
  await fillText(ctx, COMMON.username, ctx.credentials.username);
  await ctx.fillSecret(await locate(ctx, COMMON.password), ctx.credentials.password);
  await clearForSubmit(page);
  const status = await clickAndWaitForPage(page, await locate(ctx, COMMON.loginSubmit));

  const errorTarget = COMMON.loginError;
  const outcome = errorTarget.selectors.reduce((union, selector) => union.or(page.locator(selector)), page.locator(SIGNED_IN));
  await required(outcome, "sign-in outcome (signed-in user or login error)");
  if ((await page.locator(SIGNED_IN).count()) > 0) return;
  const message = await textOf(await locate(ctx, errorTarget));
  const locked = status === 423 || /locked/i.test(message);
  throw new PortalAuthError(message || "The portal refused the sign-in.", locked ? "account_locked" : "login_refused");
}

/**
 * Searches the portal's own filings for the case reference (exact match) and returns the
 * confirmation number of the earliest filing, or null. Duplicates on the portal are logged.
 */
export async function findExistingFiling(ctx: AdapterContext): Promise<string | null> {
  const { page } = ctx;
  const reference = ctx.case.reference.trim();
  // The search is a GET form; the URL (and its `reference` parameter) is stable under DOM drift.
  await gotoPortal(page, `${ctx.portalUrl}/filings?reference=${encodeURIComponent(reference)}`);
  await dismissPopups(page);
  const outcome = COMMON.filingsEmpty.selectors.reduce((union, selector) => union.or(page.locator(selector)), page.locator(FILING_ROW));
  await required(outcome, "filings search result");
  const rows = await page.locator(FILING_ROW).evaluateAll((elements) =>
    elements.map((el) => ({ reference: el.getAttribute("data-reference") ?? "", confirmationNumber: el.getAttribute("data-confirmation-number") ?? "" })),
  );
  const matches = rows.filter((row) => row.reference.trim().toUpperCase() === reference.toUpperCase() && row.confirmationNumber !== "");
  if (matches.length > 1) {
    ctx.log.warn({ reference, confirmationNumbers: matches.map((m) => m.confirmationNumber) }, "the portal holds more than one filing for this case");
  }
  // Newest first on the page: the earliest filing is the one that counts.
  return matches.at(-1)?.confirmationNumber ?? null;
}

/** A form post that lands on the login page means the portal ended the session (nothing saved). */
export function assertStillSignedIn(page: Page): void {
  if (new URL(page.url()).pathname.endsWith("/login")) {
    throw new AttemptError("site_popup", "session_ended", "The portal ended the session when the form was posted; nothing was saved.");
  }
}

/**
 * After the final submit: refusals first, then an ended session, then the confirmation number,
 * which must match the portal's format.
 */
export async function readConfirmation(ctx: AdapterContext, t: Target, format: RegExp): Promise<string> {
  const { page } = ctx;
  await readPortalMessages(page);
  assertStillSignedIn(page);
  const text = await textOf(await locate(ctx, t));
  if (!format.test(text)) {
    throw new AttemptError("site_changed", "confirmation_unreadable", `The portal showed a confirmation number in an unexpected format: "${text.slice(0, 40)}".`);
  }
  return text;
}

/**
 * The shape every adapter shares: log in, look for an existing filing of the case reference (and
 * record it instead of filing again), map the case, and only then file. Keeping it in one place
 * keeps the "never file twice" check out of each adapter's hands.
 */
export async function fileOnce<T>(ctx: AdapterContext, map: (c: AdapterContext["case"]) => T, file: (mapped: T) => Promise<string>): Promise<AdapterResult> {
  await ctx.step("login", () => login(ctx));
  const existing = await ctx.step("check_existing", () => findExistingFiling(ctx));
  if (existing) return { confirmationNumber: existing, alreadyFiled: true };
  const mapped = await ctx.step("map_case", () => Promise.resolve(map(ctx.case)));
  return { confirmationNumber: await file(mapped), alreadyFiled: false };
}
