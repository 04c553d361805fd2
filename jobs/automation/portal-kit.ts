// Shared, portal-neutral helpers for the adapters: navigation with error-page detection, generic
// overlay dismissal, sign-in, the filings search, element lookup through replay and healing
// (jobs/automation/healing/session.ts), and reading the portal's refusals. What a particular
// portal's pages look like (error pages, sign-in and filings markup, its targets) is not here:
// each adapter's folder declares it as a `PortalMarkup` and targets, and passes them in.

import { errors, type Locator, type Page, type Response } from "playwright-core";
import { AttemptError, PopupBlockedError, PortalAuthError, PortalRejectedError, PortalUnavailableError, SelectorMissingError } from "@/lib/runs/errors";
import { msUntilNextStep, totp } from "@/lib/secrets/totp";
import type { TargetKind } from "@/lib/healing";
import type { AdapterContext, AdapterResult } from "./adapter";
import { forgetSignedIn, isSignedIn, noteSignedIn } from "./browser";
import type { ActionTarget, HealingSession } from "./healing/session";

/** How long an element the adapter needs may take to appear before the portal counts as changed. */
const REQUIRED_TIMEOUT_MS = 5_000;
/** How long a text element (a confirmation number, a message) may take to appear by its primary selector. */
const TEXT_TIMEOUT_MS = 2_000;
/** A form whose fill a pop-up keeps undoing (a reload) blocks the page after this many rounds. */
const MAX_POPUP_ROUNDS = 4;

type Driver = Pick<AdapterContext, "page" | "log"> & { healing?: HealingSession };

// ---------------------------------------------------------------------------------------------
// What the kit needs to know about one portal (declared in jobs/automation/adapters/<oem>/)

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
  username: ActionTarget;
  password: ActionTarget;
  submit: ActionTarget;
  error: TextTarget;
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
  empty: TextTarget;
}

/** One portal's pages as the shared helpers need to know them. */
export interface PortalMarkup {
  errorPages: PortalErrorPages;
  refusals: PortalRefusalMarkup;
  signIn: PortalSignIn;
  filings: PortalFilings;
}

// ---------------------------------------------------------------------------------------------
// Targets

export type { ActionTarget } from "./healing/session";

/** A read-only element (a confirmation number, a message): looked up by its primary selector only. */
export interface TextTarget {
  id: string;
  name: string;
  primary: string;
}

/**
 * Declares an element an adapter acts on: a stable id (`arden.claim.vin`), a short name, its kind
 * and the adapter's primary selector. The intent defaults to "the <name> <kind> (<page>)".
 * `reversible: false` marks the final submit: it never proceeds on an unapproved heal.
 */
export function actionTarget(kind: TargetKind, id: string, name: string, primary: string, options: { intent?: string; reversible?: boolean; role?: string; carriesCaseData?: boolean } = {}): ActionTarget {
  const page = id.split(".").slice(1, -1).join(" ") || "page";
  return {
    id,
    name,
    primary,
    kind,
    intent: options.intent ?? `the ${name} ${kind === "field" ? "field" : kind} on the ${page} page`,
    reversible: options.reversible ?? true,
    ...(options.carriesCaseData === false ? { carriesCaseData: false } : {}),
    ...(options.role ? { role: options.role } : {}),
  };
}

export function textTarget(id: string, name: string, primary: string): TextTarget {
  return { id, name, primary };
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

/**
 * Finds the element for an action target: through the attempt's replay and healing session (the
 * reviewed resolution, the primary selector verified against its last good fingerprint, else a
 * heal), or — without a session (tools, tests of the kit) — by its primary selector alone.
 */
export async function locate(driver: Driver, t: ActionTarget): Promise<Locator> {
  if (driver.healing) return driver.healing.resolve(t);
  return required(driver.page.locator(t.primary), t.name);
}

// ---------------------------------------------------------------------------------------------
// Form filling

/** Fills a field, then checks the postcondition: the field holds the value (portals may change its case or spacing). */
export async function fillText(driver: Driver, t: ActionTarget, value: string): Promise<void> {
  const field = await locate(driver, t);
  await field.fill(value);
  const held = await field.inputValue().catch(() => null);
  if (held !== null && held.trim().toLowerCase() !== value.trim().toLowerCase()) {
    await postconditionFailed(driver, t, `After filling, the field holds ${JSON.stringify(held.slice(0, 80))}, not the value given.`);
  }
}

/** Selects an option by value (an option the portal no longer offers is a portal change), then checks it is selected. */
export async function selectValue(driver: Driver, t: ActionTarget, value: string): Promise<void> {
  const select = await locate(driver, t);
  if ((await select.locator(`option[value=${JSON.stringify(value)}]`).count()) === 0) {
    throw new SelectorMissingError(`${t.name} option "${value}"`, `The portal's ${t.name} list no longer offers "${value}".`);
  }
  await select.selectOption({ value });
  const selected = await select.inputValue().catch(() => null);
  if (selected !== null && selected !== value) await postconditionFailed(driver, t, `After selecting "${value}", the list shows "${selected}".`);
}

/** Ticks or clears a checkbox, then checks it stayed that way. */
export async function setCheckbox(driver: Driver, t: ActionTarget, checked: boolean): Promise<void> {
  const box = await locate(driver, t);
  // Playwright throws when the click does not change the state: the same postcondition. A pop-up
  // that shows up after the check (delayed) is dismissed and the tick tried again.
  const tick = (timeout?: number) =>
    box.setChecked(checked, timeout === undefined ? {} : { timeout }).catch((error: unknown) => {
      if (!(error instanceof Error) || !/did not change its state/.test(error.message)) throw error;
    });
  if (driver.healing) {
    const healing = driver.healing;
    await tick(CLICK_BLOCKED_MS).catch(async (error: unknown) => {
      if (!(error instanceof errors.TimeoutError)) throw error;
      const cleared = await healing.dismissOverlays();
      if (cleared.blocked) throw new PopupBlockedError(cleared.blocked);
      if (cleared.navigated) throw new AttemptError("site_popup", "form_reloaded", `A pop-up (${cleared.dismissed.join(", ")}) reloaded the page before the tick.`);
      await tick();
    });
  } else {
    await tick();
  }
  if ((await box.isChecked().catch(() => checked)) !== checked) await postconditionFailed(driver, t, `After ${checked ? "ticking" : "clearing"} it, the checkbox is ${checked ? "clear" : "ticked"}.`);
}

/** A step's action ran but the page did not take it: a portal change, with the diff when healing is on. */
async function postconditionFailed(driver: Driver, t: ActionTarget, detail: string): Promise<never> {
  if (driver.healing) return driver.healing.postconditionFailed(t, detail);
  throw new SelectorMissingError(t.name, `The portal changed: ${t.name} — ${detail}`);
}

/**
 * Fills the current page. A pop-up whose dismissal reloads the page (a session-expiry
 * interstitial) loses what was typed, so `fill` must be re-runnable: it runs again until a fill
 * survives the pop-up check.
 */
export async function fillPage(driver: Driver, portal: PortalMarkup, fill: () => Promise<void>): Promise<void> {
  for (let round = 0; round < MAX_POPUP_ROUNDS; round++) {
    await dismissPopups(driver, portal);
    await fill();
    const after = await dismissPopups(driver, portal);
    if (!after.navigated) return;
  }
  throw new PopupBlockedError("a pop-up that reloads the form every time it is filled");
}

/** Clears pop-ups right before a final click; a reload at this point would post an empty form. */
export async function clearForSubmit(driver: Driver, portal: PortalMarkup): Promise<void> {
  const outcome = await dismissPopups(driver, portal);
  if (outcome.navigated) {
    throw new AttemptError("site_popup", "form_reloaded", `A pop-up (${outcome.dismissed.join(", ")}) reloaded the form just before it was submitted; nothing was sent.`);
  }
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

export async function clickAndWaitForPage(driver: Driver | Page, portal: PortalMarkup, button: Locator): Promise<number | null> {
  const page = "goto" in driver ? driver : driver.page;
  const healing = "goto" in driver ? undefined : driver.healing;
  let status: number | null = null;
  const onResponse = (response: Response) => {
    if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) status = response.status();
  };
  page.on("response", onResponse);
  try {
    const navigated = waitingFor(page.waitForEvent("framenavigated", { predicate: (frame) => frame === page.mainFrame() }));
    await clickThroughOverlay(page, button, healing);
    await navigated;
    await page.waitForLoadState("domcontentloaded");
  } finally {
    page.off("response", onResponse);
  }
  await assertPortalAvailable(page, portal, status);
  return status;
}

/** How long a click waits for its button to take clicks before a pop-up in the way is dismissed. */
const CLICK_BLOCKED_MS = 2_500;

/**
 * Clicks; when something lies over the button (a pop-up that appeared after the last check), the
 * overlay is dismissed and the click tried once more. Playwright never clicks the overlay itself.
 */
async function clickThroughOverlay(page: Page, button: Locator, healing: HealingSession | undefined): Promise<void> {
  if (!healing) {
    await button.click();
    return;
  }
  try {
    // The caller waits for the navigation itself: a slow page must not read as a blocked click.
    await button.click({ timeout: CLICK_BLOCKED_MS, noWaitAfter: true });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const cleared = await healing.dismissOverlays();
    if (cleared.blocked) throw new PopupBlockedError(cleared.blocked);
    if (cleared.navigated) throw new AttemptError("site_popup", "form_reloaded", `A pop-up (${cleared.dismissed.join(", ")}) reloaded the page before the click; nothing was sent.`);
    await button.click();
  }
  void page;
}

/** Throws `PortalUnavailableError` when the current page is a maintenance or 5xx page. */
export async function assertPortalAvailable(page: Page, portal: PortalMarkup, status: number | null): Promise<void> {
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
 * Gets rid of whatever blocks the page — cookie walls, surveys, notices, session-expiry
 * interstitials, known or not — generically (jobs/automation/healing/dismiss-overlay.ts: a
 * non-destructive close/acknowledge button, else Escape; never a button on the deny-list). Returns
 * what was dismissed and whether a dismissal navigated (the page must then be filled again). A page
 * that stays blocked throws `PopupBlockedError`. Call after every navigation and before important clicks.
 */
export async function dismissPopups(driver: Driver | Page, portal: PortalMarkup): Promise<{ dismissed: string[]; navigated: boolean }> {
  const healing = "goto" in driver ? undefined : driver.healing;
  const page = "goto" in driver ? driver : driver.page;
  if (!healing) return { dismissed: [], navigated: false };
  const outcome = await healing.dismissOverlays();
  if (outcome.blocked) throw new PopupBlockedError(outcome.blocked);
  if (outcome.navigated) {
    await page.waitForLoadState("domcontentloaded").catch(() => {});
    await assertPortalAvailable(page, portal, null);
    assertStillSignedIn(page, portal);
  }
  return { dismissed: outcome.dismissed, navigated: outcome.navigated };
}

/**
 * Never heal on these pages: a maintenance or error page is the portal being down, and the sign-in
 * page (when the target is not on it) means the session ended. Both have their own handlers.
 */
export async function guardBeforeHealing(page: Page, portal: PortalMarkup, target: ActionTarget): Promise<void> {
  await assertPortalAvailable(page, portal, null);
  const signInTargets = [portal.signIn.username.id, portal.signIn.password.id, portal.signIn.submit.id];
  if (!signInTargets.includes(target.id)) assertStillSignedIn(page, portal);
}

/** Finds a text element by its primary selector (bounded), else null. */
async function findText(page: Page, t: TextTarget, timeout = TEXT_TIMEOUT_MS): Promise<Locator | null> {
  const locator = page.locator(t.primary);
  return locator
    .first()
    .waitFor({ state: "visible", timeout })
    .then(() => locator.first())
    .catch(() => null);
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
  await dismissPopups(ctx, portal);
  await fillText(ctx, signIn.username, ctx.credentials.username);
  await ctx.fillSecret(await locate(ctx, signIn.password), ctx.credentials.password);
  await clearForSubmit(ctx, portal);
  const status = await clickAndWaitForPage(ctx, portal, await locate(ctx, signIn.submit));

  // The sign-in error by its selector, or the page's alert (a redesign renames ids, not roles).
  const loginError = page.locator(signIn.error.primary).or(page.getByRole("alert"));
  const signedInOrError = page.locator(signIn.signedIn).or(loginError);
  await required(signedInOrError.or(oneTimeCodeField(page)), "sign-in outcome (signed-in user, login error or one-time code)");
  if ((await page.locator(signIn.signedIn).count()) === 0 && (await oneTimeCodeField(page).count()) > 0) {
    await enterOneTimeCode(ctx, portal);
    await required(signedInOrError, "sign-in outcome after the one-time code (signed-in user or error)");
    if ((await page.locator(signIn.signedIn).count()) === 0) {
      const message = await textOf(loginError.first());
      throw new PortalAuthError(`The portal refused the one-time code generated from the stored TOTP secret (${message || "no reason given"}): check the secret and this machine's clock.`, "totp_refused");
    }
  }
  if ((await page.locator(signIn.signedIn).count()) > 0) {
    await noteSignedIn(page.context(), { portalUrl: ctx.portalUrl, signOutUrl: signIn.signOutPath ? `${ctx.portalUrl}${signIn.signOutPath}` : null });
    return;
  }
  const message = await textOf(loginError.first());
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
  await clickAndWaitForPage(ctx, portal, (await submit.count()) > 0 ? submit : page.getByRole("button", { name: /verify|continue|submit|sign in|log in/i }).first());
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
  await dismissPopups(ctx, portal);
  await expectSearchOutcome(page, page.locator(filings.row), filings.empty, "filings search result");
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
 * A search result page: rows, or the "nothing found" message — by its selector, or by its words
 * (a redesign renames ids, rarely the sentence). Neither is a changed portal, never "no rows": a
 * check for an existing filing that cannot read the page must not let the case be filed twice.
 */
const NOTHING_FOUND = /\b(no|0)\s+(matching\s+)?(filings?|claims?|reports?|submissions?|records?|results?|instruments?|units?|entries|history)\b|\bnothing (found|filed|matches)\b|\bnot found\b/i;

export async function expectSearchOutcome(page: Page, rows: Locator, empty: TextTarget, what: string): Promise<void> {
  const byMarkup = rows.or(page.locator(empty.primary));
  const found = await byMarkup
    .first()
    .waitFor({ state: "attached", timeout: TEXT_TIMEOUT_MS })
    .then(() => true)
    .catch(() => false);
  if (found) return;
  const text = await page
    .locator("main")
    .or(page.locator("body"))
    .first()
    .innerText({ timeout: 2_000 })
    .catch(() => "");
  if (NOTHING_FOUND.test(text)) return;
  throw new SelectorMissingError(what, `The portal changed: neither result rows nor a "nothing found" message could be read on the ${what} page (${empty.id}).`);
}

/**
 * After the final submit: refusals first, then an ended session, then the confirmation number,
 * which must match the portal's format — by its selector, or else the one token on the page in
 * that format (a redesign moves the number, not its format).
 */
export async function readConfirmation(ctx: AdapterContext, portal: PortalMarkup, t: TextTarget, format: RegExp): Promise<string> {
  const { page } = ctx;
  await readPortalMessages(page, portal);
  assertStillSignedIn(page, portal);
  const element = await findText(page, t);
  if (element) {
    const text = await textOf(element);
    if (!format.test(text)) {
      throw new AttemptError("site_changed", "confirmation_unreadable", `The portal showed a confirmation number in an unexpected format: "${text.slice(0, 40)}".`);
    }
    return text;
  }
  const body = await page.locator("body").innerText({ timeout: 5_000 }).catch(() => "");
  const unanchored = new RegExp(`(?<![A-Za-z0-9-])${format.source.replace(/^\^/, "").replace(/\$$/, "")}(?![A-Za-z0-9-])`, "g");
  const tokens = [...new Set(body.match(unanchored) ?? [])];
  if (tokens.length === 1) {
    ctx.log.warn({ target: t.id, selector: t.primary }, `confirmation number read by its format: ${t.primary} is gone from the page`);
    return tokens[0]!;
  }
  throw new AttemptError(
    "site_changed",
    tokens.length > 1 ? "confirmation_ambiguous" : "confirmation_unreadable",
    tokens.length > 1 ? `The portal's confirmation page shows ${tokens.length} numbers in the confirmation format and none by its selector; none is guessed.` : `No confirmation number was found on the portal's confirmation page (${t.name}).`,
  );
}

/**
 * The shape every adapter shares: log in, look for an existing filing of the case reference (and
 * record it instead of filing again), map the case, and only then file. Keeping it in one place
 * keeps the "never file twice" check out of each adapter's hands.
 */
export async function fileOnce<T>(ctx: AdapterContext, portal: PortalMarkup, map: (c: AdapterContext["case"]) => T, file: (mapped: T) => Promise<string>): Promise<AdapterResult> {
  if (ctx.healing) ctx.healing.guard = (page, target) => guardBeforeHealing(page, portal, target);
  await ctx.step("login", () => login(ctx, portal));
  const existing = await ctx.step("check_existing", () => findExistingFiling(ctx, portal));
  if (existing) return { confirmationNumber: existing, alreadyFiled: true };
  const mapped = await ctx.step("map_case", () => Promise.resolve(map(ctx.case)));
  return { confirmationNumber: await file(mapped), alreadyFiled: false };
}
