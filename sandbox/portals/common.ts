// Behaviour shared by the three portals: fault gate, sessions and login, pop-ups, the filings
// search page, confirmation numbers and filing records.

import { randomBytes } from "node:crypto";
import type { SandboxRuntime } from "../context.js";
import { OEMS, type OemId } from "../domain.js";
import type { PopupKind, PortalFaults } from "../faults.js";
import { isUnderMaintenance } from "../faults.js";
import { html, type SafeHtml } from "../html.js";
import { parseCookies, readForm, redirect, sendHtml, serializeCookie, sleep, type RequestContext, type Router } from "../http.js";
import { chance, pick, randomCode, randomDigits, randomLetters } from "../random.js";
import type { Filing } from "../state.js";
import { FILINGS_CONTROLS, FILINGS_FIELDS, LOGIN_CONTROLS, LOGIN_FIELDS, LOGIN_RETURN_TO, NAV_CONTROLS } from "./common-selectors.js";
import { ctl, driftOf, field, inputField, names, readField, readRawField, type Drift, type FieldDef } from "./fields.js";
import { gatewayErrorPage, maintenancePage, renderPortalPage, type NavLink, type ServiceNotice } from "./layout.js";
import { challengeCookieName, consentCookieName, noticeCookieName, sessionCookieName, type PortalSession } from "./sessions.js";
import { verifyCode } from "./totp.js";

export interface PortalRequest {
  rt: SandboxRuntime;
  ctx: RequestContext;
  oem: OemId;
  faults: PortalFaults;
  drift: Drift;
  cookies: Record<string, string>;
  session: PortalSession | null;
}

export interface PortalSpec {
  oem: OemId;
  nav: (drift: Drift) => NavLink[];
  /** Label of the filings page in the navigation ("My claims", …). */
  filingsTitle: string;
  /** Where a filing's detail page lives, or null when the portal has none. */
  filingHref: (filing: Filing) => string;
  /** What the portal's drift-2 redesign says in its own words. */
  drift2: {
    filingsTitle: string;
    signInHeading: string;
    signInText: string;
    /** The blocking notice shown on the form pages until acknowledged. */
    notice: ServiceNotice;
  };
}

/** The filings page's title (and nav link text) at this drift. */
export function filingsTitleOf(spec: PortalSpec, drift: Drift): string {
  return drift === 2 ? spec.drift2.filingsTitle : spec.filingsTitle;
}

/** The one-time-code step of the sign-in: [id, name, label] per drift version. */
export const MFA_FIELD = field("code", ["mfa-code", "code", "Authentication code"], ["mfa-code", "code", "Authentication code"], ["account-otp", "account[otp]", "Authentication code"]);
export const MFA_FORM = { v0: "mfa-form", v1: "mfa-form", v2: "account-otp-form" } as const;
export const MFA_SUBMIT = { v0: ["mfa-submit", "Verify"], v1: ["mfa-submit", "Verify"], v2: ["account-otp-submit", "Verify code"] } as const;

export function portalBase(oem: OemId): string {
  return `/portals/${oem}`;
}

/**
 * Applies the portal fault knobs before any route runs: maintenance, latency, hang, random
 * 502/503. Returns false when the request has been answered (or is hanging).
 */
export async function portalGate(rt: SandboxRuntime, oem: OemId, ctx: RequestContext): Promise<boolean> {
  const faults = rt.faults.portals[oem];
  if (isUnderMaintenance(faults, new Date())) {
    sendHtml(ctx.res, 503, maintenancePage(oem), { "retry-after": "600" });
    return false;
  }
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (chance(rt.random, faults.hangRate)) {
    await rt.hang(ctx.req, ctx.res);
    return false;
  }
  if (chance(rt.random, faults.error5xxRate)) {
    const status = pick(rt.random, [502, 503] as const);
    sendHtml(ctx.res, status, gatewayErrorPage(status));
    return false;
  }
  return true;
}

export function loadPortalRequest(rt: SandboxRuntime, oem: OemId, ctx: RequestContext): PortalRequest {
  const cookies = parseCookies(ctx.req.headers.cookie);
  const faults = rt.faults.portals[oem];
  return {
    rt,
    ctx,
    oem,
    faults,
    // domDriftRate mixes drift-1 pages into an otherwise unchanged portal (soak runs).
    drift: faults.domDriftVersion === 0 && chance(rt.random, faults.domDriftRate) ? 1 : driftOf(faults.domDriftVersion),
    cookies,
    session: rt.sessions.get(oem, cookies[sessionCookieName(oem)]),
  };
}

function clearSessionCookie(oem: OemId): string {
  return serializeCookie(sessionCookieName(oem), "", { path: portalBase(oem), maxAgeSeconds: 0 });
}

/**
 * Returns the signed-in session, or answers with a redirect to the login page and returns null.
 * A form POST made while the session-expiry interstitial is pending ends the session.
 */
export function requireSession(pr: PortalRequest): PortalSession | null {
  const { ctx, oem, session } = pr;
  const base = portalBase(oem);
  if (!session) {
    const returnTo = ctx.method === "GET" ? ctx.url.pathname + ctx.url.search : `${base}/`;
    redirect(ctx.res, `${base}/login?returnTo=${encodeURIComponent(returnTo)}`);
    return null;
  }
  if (session.expiryPending && ctx.method !== "GET") {
    pr.rt.sessions.destroy(session.id);
    redirect(ctx.res, `${base}/login?expired=1`, { "set-cookie": clearSessionCookie(oem) });
    return null;
  }
  return session;
}

function choosePopup(pr: PortalRequest): PopupKind | null {
  const { session, faults, cookies, oem, rt } = pr;
  if (session?.expiryPending) return "session_expiry";
  if (!chance(rt.random, faults.popupRate)) return null;
  const candidates = faults.popupKinds.filter((kind) => {
    if (kind === "cookie_wall") return cookies[consentCookieName(oem)] === undefined;
    if (kind === "session_expiry") return session !== null;
    return true;
  });
  if (candidates.length === 0) return null;
  const kind = pick(rt.random, candidates);
  if (kind === "session_expiry" && session) session.expiryPending = true;
  return kind;
}

export interface RenderOptions {
  title: string;
  body: SafeHtml;
  status?: number;
  headers?: Record<string, string | string[]>;
  /** A form page: at drift 2 it carries the portal's service notice until it is acknowledged. */
  formPage?: boolean;
}

/** Sends a full portal page; GET pages answered 200 may carry a pop-up per the knobs. */
export function renderPortal(pr: PortalRequest, spec: PortalSpec, opts: RenderOptions): void {
  const status = opts.status ?? 200;
  const popup = pr.ctx.method === "GET" && status === 200 ? choosePopup(pr) : null;
  const page = renderPortalPage({
    oem: pr.oem,
    title: opts.title,
    body: opts.body,
    drift: pr.drift,
    username: pr.session?.username ?? null,
    nav: spec.nav(pr.drift),
    popup,
    notice: pr.drift === 2 && opts.formPage === true && pr.cookies[noticeCookieName(pr.oem)] !== spec.drift2.notice.id ? spec.drift2.notice : null,
    returnTo: pr.ctx.url.pathname + pr.ctx.url.search,
  });
  sendHtml(pr.ctx.res, status, page, opts.headers ?? {});
}

function safeReturnTo(oem: OemId, value: string | null): string {
  const base = portalBase(oem);
  if (value && value.startsWith(`${base}/`) && !value.startsWith("//") && !value.includes("\\")) return value;
  return `${base}/`;
}

function loginBody(pr: PortalRequest, spec: PortalSpec, opts: { error: string | null; info: string | null; username: string; returnTo: string }): SafeHtml {
  const d = pr.drift;
  const form = ctl(LOGIN_CONTROLS.form, d);
  const submit = ctl(LOGIN_CONTROLS.submit, d);
  const err = ctl(LOGIN_CONTROLS.error, d);
  const info = ctl(LOGIN_CONTROLS.info, d);
  const password = names(LOGIN_FIELDS.password, d);
  const passwordInput = html`<input id="${password.id}" name="${password.name}" data-testid="${password.id}" type="password" autocomplete="current-password">`;
  const fields = html`<input type="hidden" name="${names(LOGIN_RETURN_TO, d).name}" value="${opts.returnTo}">
    ${inputField(LOGIN_FIELDS.username, d, opts.username, {}, { autocomplete: "username" })}
    ${
      d === 2
        ? html`<div class="form-row">
      <div class="form-row__label"><label for="${password.id}">${password.label}</label></div>
      <div class="form-row__control">${passwordInput}</div>
    </div>`
        : html`<div class="field">
      <label for="${password.id}">${password.label}</label>
      ${passwordInput}
    </div>`
    }`;
  const button = html`<button type="submit" class="primary" id="${submit.id}" data-testid="${submit.id}">${d === 2 ? spec.drift2.signInText : submit.text}</button>`;
  return html`<div class="card" style="max-width:460px;margin:40px auto">
  <h1>${d === 2 ? spec.drift2.signInHeading : "Sign in"}</h1>
  <p class="muted">${OEMS[pr.oem].tagline}. Authorised dealer and service partners only.</p>
  ${opts.info ? html`<div class="alert alert-info" role="status" id="${info.id}" data-testid="${info.id}">${opts.info}</div>` : ""}
  ${opts.error ? html`<div class="alert alert-error" role="alert" id="${err.id}" data-testid="${err.id}">${opts.error}</div>` : ""}
  <form method="post" action="${portalBase(pr.oem)}/login" id="${form.id}" data-testid="${form.id}" novalidate>
    ${d === 2 ? html`<fieldset class="form-group"><legend>Partner account</legend>${fields}</fieldset>` : fields}
    <div class="actions">${button}</div>
  </form>
</div>`;
}

function codeBody(pr: PortalRequest, error: string | null): SafeHtml {
  const d = pr.drift;
  const err = ctl(LOGIN_CONTROLS.error, d);
  const code = names(MFA_FIELD, d);
  const formId = d === 2 ? MFA_FORM.v2 : MFA_FORM.v0;
  const [submitId, submitText] = d === 2 ? MFA_SUBMIT.v2 : MFA_SUBMIT.v0;
  return html`<div class="card" style="max-width:460px;margin:40px auto">
  <h1>Two-step verification</h1>
  <p class="muted">Enter the 6-digit code from your authenticator app.</p>
  ${error ? html`<div class="alert alert-error" role="alert" id="${err.id}" data-testid="${err.id}">${error}</div>` : ""}
  <form method="post" action="${portalBase(pr.oem)}/login/code" id="${formId}" data-testid="${formId}" novalidate>
    <div class="${d === 2 ? "form-row" : "field"}">
      <label for="${code.id}">${code.label}</label>
      <input id="${code.id}" name="${code.name}" data-testid="${code.id}" inputmode="numeric" autocomplete="one-time-code" maxlength="6">
    </div>
    <div class="actions"><button type="submit" class="primary" id="${submitId}" data-testid="${submitId}">${submitText}</button></div>
  </form>
</div>`;
}

/** Login, logout, "Continue session" and the filings search page. */
export function registerCommonPortalRoutes(router: Router, rt: SandboxRuntime, spec: PortalSpec): void {
  const { oem } = spec;
  const base = portalBase(oem);

  router.get(`${base}/login`, (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    const returnTo = safeReturnTo(oem, ctx.url.searchParams.get("returnTo"));
    if (pr.session && !pr.session.expiryPending) return redirect(ctx.res, returnTo);
    if (pr.session) {
      // Opening the login page behind a pending session-expiry interstitial ends that session.
      rt.sessions.destroy(pr.session.id);
      pr.session = null;
    }
    const info = ctx.url.searchParams.get("expired") ? "Your session expired. Please sign in again." : ctx.url.searchParams.get("loggedOut") ? "You have been signed out." : null;
    renderPortal(pr, spec, { title: "Sign in", body: loginBody(pr, spec, { error: null, info, username: "", returnTo }) });
  });

  router.post(`${base}/login`, async (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    const form = await readForm(ctx.req);
    const username = readField(form, LOGIN_FIELDS.username, pr.drift);
    const password = readRawField(form, LOGIN_FIELDS.password, pr.drift) ?? "";
    const returnTo = safeReturnTo(oem, readRawField(form, LOGIN_RETURN_TO, pr.drift));
    const creds = rt.accounts[oem];
    const lockoutAfter = pr.faults.lockoutAfter;
    const fail = (status: number, error: string): void =>
      renderPortal(pr, spec, { title: "Sign in", status, body: loginBody(pr, spec, { error, info: null, username, returnTo }) });
    if (lockoutAfter > 0 && rt.sessions.failedCount(oem, username) >= lockoutAfter) {
      return fail(423, "Account locked after too many failed sign-in attempts. Contact your portal administrator.");
    }
    if (username !== creds.username || password !== creds.password) {
      const n = rt.sessions.recordFailure(oem, username);
      if (lockoutAfter > 0 && n >= lockoutAfter) {
        return fail(423, "Account locked after too many failed sign-in attempts. Contact your portal administrator.");
      }
      return fail(401, "Invalid username or password");
    }
    rt.sessions.resetFailures(oem, username);
    if (pr.session) rt.sessions.destroy(pr.session.id);
    if (creds.totpSecret) {
      // Password right; the account has a second factor: ask for the authenticator's code.
      const challenge = rt.sessions.createChallenge(oem, username, returnTo);
      return redirect(ctx.res, `${base}/login/code`, { "set-cookie": serializeCookie(challengeCookieName(oem), challenge.id, { path: base }) });
    }
    const session = rt.sessions.create(oem, username);
    redirect(ctx.res, returnTo, {
      "set-cookie": serializeCookie(sessionCookieName(oem), session.id, { path: base }),
    });
  });

  // The TOTP step (only for an account with a TOTP secret): "Authentication code", 6 digits.
  router.get(`${base}/login/code`, (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    const challenge = rt.sessions.getChallenge(oem, pr.cookies[challengeCookieName(oem)]);
    if (!challenge) return redirect(ctx.res, `${base}/login?expired=1`);
    renderPortal(pr, spec, { title: "Two-step verification", body: codeBody(pr, null) });
  });

  router.post(`${base}/login/code`, async (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    const form = await readForm(ctx.req);
    const challenge = rt.sessions.getChallenge(oem, pr.cookies[challengeCookieName(oem)]);
    if (!challenge) return redirect(ctx.res, `${base}/login?expired=1`);
    const secret = rt.accounts[oem].totpSecret;
    const code = (readRawField(form, MFA_FIELD, pr.drift) ?? "").replace(/\s/g, "");
    if (!secret || !verifyCode(secret, code)) {
      return renderPortal(pr, spec, { title: "Two-step verification", status: 401, body: codeBody(pr, "Invalid authentication code") });
    }
    rt.sessions.endChallenge(challenge.id);
    const session = rt.sessions.create(oem, challenge.username);
    redirect(ctx.res, challenge.returnTo, {
      "set-cookie": [serializeCookie(sessionCookieName(oem), session.id, { path: base }), serializeCookie(challengeCookieName(oem), "", { path: base, maxAgeSeconds: 0 })],
    });
  });

  router.get(`${base}/logout`, (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    if (pr.session) rt.sessions.destroy(pr.session.id);
    redirect(ctx.res, `${base}/login?loggedOut=1`, { "set-cookie": clearSessionCookie(oem) });
  });

  // "Continue session" on the session-expiry interstitial.
  router.post(`${base}/session/continue`, async (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    const form = await readForm(ctx.req);
    if (!pr.session) return redirect(ctx.res, `${base}/login?expired=1`);
    pr.session.expiryPending = false;
    redirect(ctx.res, safeReturnTo(oem, form.get("returnTo")));
  });

  // Filings search by case reference (exact, case-insensitive); without a reference, the latest 100.
  router.get(`${base}/filings`, (ctx) => {
    const pr = loadPortalRequest(rt, oem, ctx);
    if (!requireSession(pr)) return;
    // A search is a link as much as a form: every version's parameter keeps working (old links and
    // bookmarks survive the redesign), the current version's first.
    const reference = (readSearchParam(ctx.url.searchParams, FILINGS_FIELDS.reference, pr.drift) ?? "").trim();
    const all = rt.state.filingsFor(oem);
    const matches = (reference ? all.filter((f) => f.reference.toUpperCase() === reference.toUpperCase()) : all)
      .slice()
      .sort((a, b) => (a.filedAt < b.filedAt ? 1 : -1))
      .slice(0, 100);
    renderPortal(pr, spec, { title: filingsTitleOf(spec, pr.drift), body: filingsBody(pr, spec, reference, matches) });
  });
}

/** A GET search parameter: this drift's name first, then every other version's (links survive redesigns). */
export function readSearchParam(params: URLSearchParams, def: FieldDef, drift: Drift): string | null {
  for (const name of [names(def, drift).name, def.v0.name, def.v1.name, def.v2.name]) {
    const value = params.get(name);
    if (value !== null) return value;
  }
  return null;
}

function filingsBody(pr: PortalRequest, spec: PortalSpec, reference: string, filings: Filing[]): SafeHtml {
  const d = pr.drift;
  const c = (key: keyof typeof FILINGS_CONTROLS): string => ctl(FILINGS_CONTROLS[key], d).id;
  const search = ctl(FILINGS_CONTROLS.search, d);
  const empty = d === 2 ? (reference ? `No matching records for ${reference}.` : "No records yet.") : reference ? `No filings found for ${reference}.` : "No filings yet.";
  const searchForm = html`<form method="get" action="${portalBase(pr.oem)}/filings" id="${c("form")}" novalidate>
    ${inputField(FILINGS_FIELDS.reference, d, reference, {}, { placeholder: "NS-2026-00123" })}
    <button type="submit" class="primary" id="${search.id}" data-testid="${search.id}">${search.text}</button>
  </form>`;
  return html`<h1>${filingsTitleOf(spec, d)}</h1>
<div class="card">
  ${d === 2 ? html`<section class="records-search" aria-label="Search by case reference">${searchForm}</section>` : searchForm}
</div>
<div class="card">
${
  filings.length === 0
    ? html`<p data-testid="${c("empty")}" id="${c("empty")}">${empty}</p>`
    : html`<table data-testid="${c("table")}" id="${c("table")}">
  <thead><tr><th>Case reference</th><th>${d === 2 ? "Confirmation code" : "Confirmation number"}</th><th>Unit</th><th>${d === 2 ? "Filed on (UTC)" : "Filed at (UTC)"}</th></tr></thead>
  <tbody>
  ${filings.map(
    (f) => html`<tr data-testid="${c("row")}" data-reference="${f.reference}" data-confirmation-number="${f.confirmationNumber}">
    <td data-testid="${c("reference")}">${f.reference}</td>
    <td data-testid="${c("confirmation")}"><a class="mono" href="${spec.filingHref(f)}">${f.confirmationNumber}</a></td>
    <td data-testid="${c("unit")}" class="mono">${f.unitId}</td>
    <td data-testid="${c("date")}"><time datetime="${f.filedAt}">${f.filedAt.slice(0, 16).replace("T", " ")}</time></td>
  </tr>`,
  )}
  </tbody>
</table>`
}
</div>`;
}

export function filingsNavLink(oem: OemId, drift: Drift, text: string): NavLink {
  return { href: `${portalBase(oem)}/filings`, text, testid: ctl(NAV_CONTROLS.filings, drift).id };
}

/** Generates a confirmation number in the OEM's format, unique among stored filings. */
export function newConfirmationNumber(rt: SandboxRuntime, oem: OemId): string {
  for (;;) {
    const candidate =
      oem === "arden"
        ? `ARD-${randomCode(rt.random, 6)}`
        : oem === "borealis"
          ? `BOR-${randomDigits(rt.random, 8)}`
          : `CVD-${randomLetters(rt.random, 4)}-${randomDigits(rt.random, 4)}`;
    if (!rt.state.filings.some((f) => f.confirmationNumber === candidate)) return candidate;
  }
}

/** Stores a filing (duplicates by reference are accepted but marked) and persists. */
export function recordFiling(rt: SandboxRuntime, input: Omit<Filing, "id" | "confirmationNumber" | "filedAt" | "duplicateOf">): Filing {
  const earlier = rt.state.filings.find((f) => f.oem === input.oem && f.reference.toUpperCase() === input.reference.toUpperCase());
  const filing: Filing = {
    ...input,
    id: `FIL-${randomBytes(6).toString("hex")}`,
    confirmationNumber: newConfirmationNumber(rt, input.oem),
    filedAt: new Date().toISOString(),
    duplicateOf: earlier?.confirmationNumber ?? null,
  };
  rt.state.filings.push(filing);
  rt.persist();
  return filing;
}

const REJECT_MESSAGES = [
  "Duplicate submission suspected — rejected. Contact partner support if you believe this is an error.",
  "Submission rejected: the unit is under an administrative hold. Contact partner support.",
];

/** Applies rejectRate to an otherwise valid final submission: a visible message, or null. */
export function randomRejection(pr: PortalRequest): string | null {
  return chance(pr.rt.random, pr.faults.rejectRate) ? pick(pr.rt.random, REJECT_MESSAGES) : null;
}

/**
 * lostResponseRate: the filing was stored, but the response is lost (a 502 page). Adapters must
 * then search filings by reference before filing again. Returns true when it answered.
 */
export function maybeLoseResponse(pr: PortalRequest): boolean {
  if (!chance(pr.rt.random, pr.faults.lostResponseRate)) return false;
  sendHtml(pr.ctx.res, 502, gatewayErrorPage(502));
  return true;
}
