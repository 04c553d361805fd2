// Shared, portal-neutral helpers for the adapters: navigation with error-page detection, pop-up
// dismissal, sign-in, the filings search, bounded element lookup with fallback selectors, and
// reading the portal's refusals. What a particular portal's pages look like (its pop-ups, error
// pages, sign-in and filings markup, fallback selectors) is not here: each adapter's folder
// declares it as a `PortalMarkup` and passes it in.

import { errors, type Locator, type Page, type Response } from "playwright-core";
import { AttemptError, PopupBlockedError, PortalAuthError, PortalRejectedError, PortalUnavailableError, SelectorMissingError } from "@/lib/runs/errors";
import { msUntilNextStep, totp } from "@/lib/secrets/totp";
import type { AdapterContext, AdapterResult } from "./adapter";
import { forgetSignedIn, isSignedIn, noteSignedIn } from "./browser";

/** How long an element the adapter needs may take to appear before the portal counts as changed. */
const REQUIRED_TIMEOUT_MS = 5_000;
/** How long a delayed pop-up (rendered hidden, shown shortly after load) is waited for. */
const DELAYED_POPUP_WAIT_MS = 2_000;
const POPUP_DISMISS_TIMEOUT_MS = 5_000;
/** A pop-up that is still there after this many dismissals blocks the page. */
const MAX_POPUP_ROUNDS = 4;

type Driver = Pick<AdapterContext, "page" | "log">;

// ---------------------------------------------------------------------------------------------
// What the kit needs to know about one portal (declared in jobs/automation/adapters/<oem>/)

/** A pop-up a portal is known to show, and how to get rid of it. */
export interface PopupSpec {
  /** Names the pop-up in errors and in what `dismissPopups` returns, e.g. "cookie_wall". */
  kind: string;
  /** In words, for people reading the failure: "session-expiry interstitial". */
  name: string;
  root: string;
  /** The dismiss control, looked up inside `root`. */
  dismiss: string;
  /** Rendered hidden and shown shortly after load. */
  delayed?: boolean;
  /** Dismissing reloads the page (form input is lost, so the page must be filled again). */
  reloads?: boolean;
}

export interface PortalPopups {
  known: readonly PopupSpec[];
  /** Matches any visible overlay, known or not: an overlay that is not known blocks the page. */
  anyOverlay: string;
}

export interface PortalErrorPages {
  /** The scheduled-maintenance page (counts as HTTP 503). */
  maintenance: string;
  /** A gateway error page; its text carries the 5xx status. */
  gatewayError: string;
}

/** Where the portal puts its refusals of what was posted. */
export interface PortalRefusalMarkup {
  /** A portal-level refusal (the portal's own sentence). */
  portalMessage: string;
  /** Inline errors next to fields; the field's key is `keyAttribute` minus `keyPrefix`. */
  fieldErrors: { selector: string; keyAttribute: string; keyPrefix: string };
  /** The form-errors summary, and its items. */
  formErrors: string;
  formErrorItems: string;
}

export interface PortalSignIn {
  /** The sign-in page, relative to the portal's base URL; a post that lands here ended the session. */
  path: string;
  username: Target;
  password: Target;
  submit: Target;
  error: Target;
  /** Shown on every page once signed in. */
  signedIn: string;
  /**
   * The sign-out address, relative to the portal's base URL. A session is signed out there before
   * its context is dropped (closing a browser does not end a portal session); without it a
   * signed-in context is never kept for reuse.
   */
  signOutPath?: string;
}

/** The portal's own list of filings, searched by case reference before anything is filed. */
export interface PortalFilings {
  /** The search page for a reference, relative to the portal's base URL. */
  searchPath(reference: string): string;
  row: string;
  referenceAttribute: string;
  confirmationAttribute: string;
  empty: Target;
}

/** One portal's pages as the shared helpers need to know them. */
export interface PortalMarkup {
  errorPages: PortalErrorPages;
  popups: PortalPopups;
  refusals: PortalRefusalMarkup;
  signIn: PortalSignIn;
  filings: PortalFilings;
}

// ---------------------------------------------------------------------------------------------
// Targets and fallbacks

/** An element the adapter needs: its primary selector, then fallbacks known for the same element. */
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
 * Finds a target by its primary selector or, failing that, one of its fallbacks. A fallback hit is
 * logged as a warning once per page (`selector`, `expected`, `healedTo`) so engineers see that the
 * portal changed before the fallbacks run out; no match at all → site_changed.
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
 * Fills the current page. A pop-up whose dismissal reloads the page (a session-expiry
 * interstitial) loses what was typed, so `fill` must be re-runnable: it runs again until a fill
 * survives the pop-up check.
 */
export async function fillPage(page: Page, portal: PortalMarkup, fill: () => Promise<void>): Promise<void> {
  let reloadedBy: PopupSpec | undefined;
  for (let round = 0; round < MAX_POPUP_ROUNDS; round++) {
    await dismissPopups(page, portal);
    await fill();
    reloadedBy = reloading(portal, await dismissPopups(page, portal));
    if (!reloadedBy) return;
  }
  throw new PopupBlockedError(reloadedBy?.kind ?? "reloading pop-up");
}

/** Clears pop-ups right before a final click; a reload at this point would post an empty form. */
export async function clearForSubmit(page: Page, portal: PortalMarkup): Promise<void> {
  const reloadedBy = reloading(portal, await dismissPopups(page, portal));
  if (reloadedBy) {
    throw new AttemptError("site_popup", "form_reloaded", `A ${reloadedBy.name} reloaded the form just before it was submitted; nothing was sent.`);
  }
}

/** The first dismissed pop-up whose dismissal reloaded the page. */
function reloading(portal: PortalMarkup, dismissed: readonly string[]): PopupSpec | undefined {
  return portal.popups.known.find((spec) => spec.reloads && dismissed.includes(spec.kind));
}

// ---------------------------------------------------------------------------------------------
// Navigation and error pages

/**
 * Navigates to a portal page. An HTTP 5xx (gateway error, maintenance) becomes
 * `PortalUnavailableError`; a navigation timeout stays Playwright's TimeoutError (`nav_timeout`).
 */
export async function gotoPortal(page: Page, portal: PortalMarkup, url: string): Promise<void> {
  const response = await page.goto(url);
  await assertPortalAvailable(page, portal, response?.status() ?? null);
}

/**
 * Clicks something that posts a form and waits for the answering page (committed and parsed),
 * then checks it is not an error page. Returns the answer's HTTP status when known.
 */
/**
 * A wait started before the action that causes the event. When the action fails first, nobody
 * awaits the wait any more, and its own later timeout would be an unhandled rejection — which
 * kills the worker process mid-batch (seen in the soak's worker logs). Its outcome still reaches
 * whoever awaits it.
 */
function waitingFor<T>(wait: Promise<T>): Promise<T> {
  wait.catch(() => {});
  return wait;
}

export async function clickAndWaitForPage(page: Page, portal: PortalMarkup, button: Locator): Promise<number | null> {
  let status: number | null = null;
  const onResponse = (response: Response) => {
    if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) status = response.status();
  };
  page.on("response", onResponse);
  try {
    const navigated = waitingFor(page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame() }));
    await button.click();
    await navigated;
    await page.waitForLoadState("domcontentloaded");
  } finally {
    page.off("response", onResponse);
  }
  await assertPortalAvailable(page, portal, status);
  return status;
}

/** Throws `PortalUnavailableError` when the current page is a maintenance or 5xx page. */
async function assertPortalAvailable(page: Page, portal: PortalMarkup, status: number | null): Promise<void> {
  const { maintenance, gatewayError } = portal.errorPages;
  if ((await page.locator(maintenance).count()) > 0) {
    throw new PortalUnavailableError(503, "The portal is down for scheduled maintenance (HTTP 503).");
  }
  if (status !== null && status >= 500) throw new PortalUnavailableError(status);
  const gateway = page.locator(gatewayError);
  if ((await gateway.count()) > 0) {
    const code = /\b(5\d\d)\b/.exec((await gateway.first().textContent()) ?? "");
    throw new PortalUnavailableError(code ? Number(code[1]) : 502);
  }
}

// ---------------------------------------------------------------------------------------------
// Pop-ups

/**
 * Dismisses the portal's known pop-ups and returns the kinds it dismissed, in order. A pop-up that
 * cannot be dismissed, keeps coming back, or is not one the portal is known to show throws
 * `PopupBlockedError`. Call after every navigation and before important clicks; after a pop-up
 * that `reloads`, the page must be filled again.
 */
export async function dismissPopups(page: Page, portal: PortalMarkup): Promise<string[]> {
  const dismissed: string[] = [];
  for (let round = 0; round <= MAX_POPUP_ROUNDS; round++) {
    const popup = await visiblePopup(page, portal.popups);
    if (!popup) return dismissed;
    if (round === MAX_POPUP_ROUNDS) throw new PopupBlockedError(popup.kind);
    await dismissOne(page, portal, popup);
    dismissed.push(popup.kind);
  }
  return dismissed;
}

async function visiblePopup(page: Page, popups: PortalPopups): Promise<PopupSpec | null> {
  for (const spec of popups.known) {
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
  if ((await page.locator(popups.anyOverlay).count()) > 0) throw new PopupBlockedError("unknown overlay");
  return null;
}

async function dismissOne(page: Page, portal: PortalMarkup, spec: PopupSpec): Promise<void> {
  const root = page.locator(spec.root).first();
  try {
    const button = root.locator(spec.dismiss);
    if (spec.reloads) {
      const reloaded = waitingFor(page.waitForEvent("load", { timeout: POPUP_DISMISS_TIMEOUT_MS }));
      await button.click({ timeout: POPUP_DISMISS_TIMEOUT_MS });
      await reloaded;
      await assertPortalAvailable(page, portal, null);
      assertStillSignedIn(page, portal);
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
export async function readPortalMessages(page: Page, portal: PortalMarkup): Promise<void> {
  const markup = portal.refusals;
  const portalMessage = page.locator(markup.portalMessage);
  if ((await portalMessage.count()) > 0) throw new PortalRejectedError(await textOf(portalMessage.first()));

  const fieldErrors = await page
    .locator(markup.fieldErrors.selector)
    .evaluateAll(
      (elements, { keyAttribute, keyPrefix }) =>
        elements.map((el) => {
          const attribute = el.getAttribute(keyAttribute) ?? "";
          return { key: attribute.startsWith(keyPrefix) ? attribute.slice(keyPrefix.length) : attribute, text: (el.textContent ?? "").trim() };
        }),
      markup.fieldErrors,
    );
  const first = fieldErrors[0];
  if (first) throw new PortalRejectedError(fieldErrors.map((e) => e.text).join("; "), first.key);

  const summary = page.locator(markup.formErrors);
  if ((await summary.count()) > 0) {
    const items = await summary.first().locator(markup.formErrorItems).allTextContents();
    throw new PortalRejectedError(items.length > 0 ? items.map((i) => i.trim()).join("; ") : await textOf(summary.first()));
  }
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------
// Sign-in and the filings search

/**
 * Signs in. The password goes through `ctx.fillSecret` only, so it never reaches a trace.
 * "Invalid username or password" and the lock-out message become `PortalAuthError`.
 */
async function login(ctx: AdapterContext, portal: PortalMarkup): Promise<void> {
  const { page } = ctx;
  const signIn = portal.signIn;
  if (isSignedIn(page.context(), ctx.portalUrl)) {
    // A reused signed-in context: the filings search (where check_existing goes next) shows
    // whether the portal still knows the session; if it ended, sign in afresh.
    await gotoPortal(page, portal, `${ctx.portalUrl}${portal.filings.searchPath(ctx.case.reference.trim())}`);
    if (!onSignInPage(page, portal) && (await page.locator(signIn.signedIn).count()) > 0) return;
    forgetSignedIn(page.context());
  }
  await gotoPortal(page, portal, `${ctx.portalUrl}${signIn.path}`);
  await dismissPopups(page, portal);
  await fillText(ctx, signIn.username, ctx.credentials.username);
  await ctx.fillSecret(await locate(ctx, signIn.password), ctx.credentials.password);
  await clearForSubmit(page, portal);
  const status = await clickAndWaitForPage(page, portal, await locate(ctx, signIn.submit));

  const errorTarget = signIn.error;
  const signedInOrError = errorTarget.selectors.reduce((union, selector) => union.or(page.locator(selector)), page.locator(signIn.signedIn));
  await required(signedInOrError.or(oneTimeCodeField(page)), "sign-in outcome (signed-in user, login error or one-time code)");
  if ((await page.locator(signIn.signedIn).count()) === 0 && (await oneTimeCodeField(page).count()) > 0) {
    await enterOneTimeCode(ctx, portal);
    await required(signedInOrError, "sign-in outcome after the one-time code (signed-in user or error)");
    if ((await page.locator(signIn.signedIn).count()) === 0) {
      const message = await textOf(await locate(ctx, errorTarget));
      throw new PortalAuthError(`The portal refused the one-time code generated from the stored TOTP secret (${message || "no reason given"}): check the secret and this machine's clock.`, "totp_refused");
    }
  }
  if ((await page.locator(signIn.signedIn).count()) > 0) {
    await noteSignedIn(page.context(), { portalUrl: ctx.portalUrl, signOutUrl: signIn.signOutPath ? `${ctx.portalUrl}${signIn.signOutPath}` : null });
    return;
  }
  const message = await textOf(await locate(ctx, errorTarget));
  const locked = status === 423 || /locked/i.test(message);
  throw new PortalAuthError(message || "The portal refused the sign-in.", locked ? "account_locked" : "login_refused");
}

/**
 * A portal's one-time-code field after the password, recognised the way browsers and password
 * managers do — `autocomplete="one-time-code"` — or by its label ("one-time code", "authentication
 * code", "verification code", "security code"), so any adapter handles a TOTP step without markup of its own.
 */
function oneTimeCodeField(page: Page): Locator {
  return page
    .locator('input[autocomplete="one-time-code"]:visible')
    .or(page.getByLabel(/one[- ]time (pass)?code|authentication code|verification code|security code|authenticator code/i))
    .first();
}

/** Codes closer than this to the end of their 30-second step are not sent: the next one is waited for. */
const TOTP_MIN_REMAINING_MS = 3_000;

/**
 * Fills the one-time code generated from the stored TOTP secret and submits it. Without a stored
 * secret the attempt fails `auth` (the portal pauses and an admin is asked to add the secret).
 */
async function enterOneTimeCode(ctx: AdapterContext, portal: PortalMarkup): Promise<void> {
  const { page } = ctx;
  const secret = ctx.credentials.totpSecret;
  if (!secret) {
    throw new PortalAuthError("The portal asks for a one-time code after the password, and no TOTP secret is stored for it: an admin adds the secret with the portal's credentials on the Portals page.", "totp_missing");
  }
  const remaining = msUntilNextStep(Date.now());
  if (remaining < TOTP_MIN_REMAINING_MS) await page.waitForTimeout(remaining + 100);
  let code: string;
  try {
    code = totp(secret);
  } catch {
    throw new PortalAuthError("The stored TOTP secret is not valid base32: an admin saves the portal's credentials again with the right secret.", "totp_refused");
  }
  const field = oneTimeCodeField(page);
  await ctx.fillSecret(field, code);
  const form = page.locator("form").filter({ has: field });
  const submit = form.locator('button[type="submit"], input[type="submit"]').first();
  await clickAndWaitForPage(page, portal, (await submit.count()) > 0 ? submit : page.getByRole("button", { name: /verify|continue|submit|sign in|log in/i }).first());
}

/**
 * Searches the portal's own filings for the case reference (exact match) and returns the
 * confirmation number of the earliest filing, or null. Duplicates on the portal are logged.
 */
async function findExistingFiling(ctx: AdapterContext, portal: PortalMarkup): Promise<string | null> {
  const { page } = ctx;
  const filings = portal.filings;
  const reference = ctx.case.reference.trim();
  const searchUrl = `${ctx.portalUrl}${filings.searchPath(reference)}`;
  // A reused session's sign-in check already opened this page.
  if (!samePage(page.url(), searchUrl)) await gotoPortal(page, portal, searchUrl);
  await dismissPopups(page, portal);
  const outcome = filings.empty.selectors.reduce((union, selector) => union.or(page.locator(selector)), page.locator(filings.row));
  await required(outcome, "filings search result");
  const rows = await page.locator(filings.row).evaluateAll(
    (elements, { referenceAttribute, confirmationAttribute }) =>
      elements.map((el) => ({ reference: el.getAttribute(referenceAttribute) ?? "", confirmationNumber: el.getAttribute(confirmationAttribute) ?? "" })),
    { referenceAttribute: filings.referenceAttribute, confirmationAttribute: filings.confirmationAttribute },
  );
  const matches = rows.filter((row) => row.reference.trim().toUpperCase() === reference.toUpperCase() && row.confirmationNumber !== "");
  if (matches.length > 1) {
    ctx.log.warn({ reference, confirmationNumbers: matches.map((m) => m.confirmationNumber) }, "the portal holds more than one filing for this case");
  }
  // Newest first on the page: the earliest filing is the one that counts.
  return matches.at(-1)?.confirmationNumber ?? null;
}

function onSignInPage(page: Page, portal: PortalMarkup): boolean {
  return new URL(page.url()).pathname.endsWith(portal.signIn.path);
}

function samePage(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** A form post that lands on the sign-in page means the portal ended the session (nothing saved). */
export function assertStillSignedIn(page: Page, portal: PortalMarkup): void {
  if (onSignInPage(page, portal)) {
    throw new AttemptError("site_popup", "session_ended", "The portal ended the session when the form was posted; nothing was saved.");
  }
}

/**
 * After the final submit: refusals first, then an ended session, then the confirmation number,
 * which must match the portal's format.
 */
export async function readConfirmation(ctx: AdapterContext, portal: PortalMarkup, t: Target, format: RegExp): Promise<string> {
  const { page } = ctx;
  await readPortalMessages(page, portal);
  assertStillSignedIn(page, portal);
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
export async function fileOnce<T>(ctx: AdapterContext, portal: PortalMarkup, map: (c: AdapterContext["case"]) => T, file: (mapped: T) => Promise<string>): Promise<AdapterResult> {
  await ctx.step("login", () => login(ctx, portal));
  const existing = await ctx.step("check_existing", () => findExistingFiling(ctx, portal));
  if (existing) return { confirmationNumber: existing, alreadyFiled: true };
  const mapped = await ctx.step("map_case", () => Promise.resolve(map(ctx.case)));
  return { confirmationNumber: await file(mapped), alreadyFiled: false };
}
