// Arden Motors portal: sign in, then one long claim form → confirmation page.

import type { SandboxRuntime } from "../../context.js";
import { OEMS, REFERENCE_PATTERN, optionLabel, todayIso } from "../../domain.js";
import { html, type SafeHtml } from "../../html.js";
import { readForm, redirect, type Router } from "../../http.js";
import {
  filingsNavLink,
  filingsTitleOf,
  loadPortalRequest,
  maybeLoseResponse,
  portalBase,
  randomRejection,
  recordFiling,
  registerCommonPortalRoutes,
  renderPortal,
  requireSession,
  type PortalRequest,
  type PortalSpec,
} from "../common.js";
import {
  checkboxField,
  collectErrors,
  ctl,
  errorSummary,
  fieldGroup,
  inputField,
  portalMessage,
  readCheckbox,
  readField,
  selectField,
  textareaField,
  validate,
  type FieldErrors,
} from "../fields.js";
import { ARDEN_CONTROLS, ARDEN_FIELDS as F } from "./selectors.js";

const OEM = "arden" as const;
const BASE = portalBase(OEM);
const P = OEMS.arden;

const spec: PortalSpec = {
  oem: OEM,
  filingsTitle: "My claims",
  nav: (drift) => [
    { href: `${BASE}/claims/new`, text: ctl(ARDEN_CONTROLS.newClaim, drift).text, testid: ctl(ARDEN_CONTROLS.newClaim, drift).id },
    filingsNavLink(OEM, drift, filingsTitleOf(spec, drift)),
  ],
  filingHref: (f) => `${BASE}/claims/${encodeURIComponent(f.confirmationNumber)}`,
  drift2: {
    filingsTitle: "Claim history",
    signInHeading: "Sign in to Arden Connect",
    signInText: "Sign in securely",
    notice: {
      id: "arden-maintenance-2026-12",
      title: "Planned maintenance on Saturday",
      body: "Arden Connect will be unavailable on Saturday from 22:00 to 02:00 UTC while we upgrade our systems. Claims you have already submitted are not affected.",
      acknowledge: "Got it",
      destructive: { text: "Sign out", href: `${BASE}/logout`, as: "link" },
    },
  },
};

type Values = Record<keyof typeof F, string>;

const EMPTY: Values = {
  caseReference: "",
  claimType: "",
  vin: "",
  mileage: "",
  failureDate: "",
  category: "",
  description: "",
  customerName: "",
  customerEmail: "",
  confirmAccuracy: "",
};

function claimForm(pr: PortalRequest, values: Values, errors: FieldErrors, message: string | null): SafeHtml {
  const d = pr.drift;
  const form = ctl(ARDEN_CONTROLS.form, d);
  const submit = ctl(ARDEN_CONTROLS.submit, d);
  const customerName = inputField(F.customerName, d, values.customerName, errors);
  const customerEmail = inputField(F.customerEmail, d, values.customerEmail, errors, { type: "email" });
  const button = html`<button type="submit" class="primary" id="${submit.id}" data-testid="${submit.id}">${submit.text}</button>`;
  return html`<h1>${d === 2 ? "Warranty and recall claim" : "New warranty or recall claim"}</h1>
${portalMessage(message)}
${errorSummary(errors)}
<form method="post" action="${BASE}/claims" id="${form.id}" data-testid="${form.id}" class="card" novalidate>
  ${fieldGroup(
    d,
    "Claim",
    html`${inputField(F.caseReference, d, values.caseReference, errors, { placeholder: "NS-2026-00123", hint: "Your internal case reference (NS-YYYY-NNNNN)" })}
  ${selectField(F.claimType, d, P.kinds, values.claimType, errors)}`,
    "Claim details",
  )}
  ${fieldGroup(
    d,
    "Vehicle",
    html`${inputField(F.vin, d, values.vin, errors, { hint: P.unitFormatHint })}
  ${inputField(F.mileage, d, values.mileage, errors, { type: "number" })}`,
  )}
  ${fieldGroup(
    d,
    "Failure",
    html`${inputField(F.failureDate, d, values.failureDate, errors, { type: "date" })}
  ${selectField(F.category, d, P.categories, values.category, errors)}
  ${textareaField(F.description, d, values.description, errors, "At least 10 characters.")}`,
    "What failed",
  )}
  ${fieldGroup(
    d,
    "Customer",
    // The redesign asks for the email before the name.
    d === 2 ? html`${customerEmail}
  ${customerName}` : html`${customerName}
  ${customerEmail}`,
  )}
  ${d === 2 ? html`<div class="declaration-box">${checkboxField(F.confirmAccuracy, d, values.confirmAccuracy === "yes", errors)}</div>` : checkboxField(F.confirmAccuracy, d, values.confirmAccuracy === "yes", errors)}
  ${d === 2 ? html`<div class="form-actions"><div class="actions">${button}</div></div>` : html`<div class="actions">${button}</div>`}
</form>`;
}

function validateClaim(v: Values): FieldErrors {
  return collectErrors({
    caseReference: [validate.pattern(v.caseReference, REFERENCE_PATTERN, "Enter the case reference as NS-YYYY-NNNNN")],
    claimType: [validate.oneOf(v.claimType, P.kinds, "Select a claim type")],
    vin: [validate.pattern(v.vin, P.unitPattern, "Invalid VIN: must be 17 characters (letters and digits, no I, O or Q)")],
    mileage: [validate.integer(v.mileage, 0, 2_000_000, "Enter the odometer reading in whole kilometres (0–2,000,000)")],
    failureDate: [validate.pastDate(v.failureDate, "Date of failure", todayIso())],
    category: [validate.oneOf(v.category, P.categories, "Select a component category")],
    description: [validate.length(v.description, 10, 2000, "Describe the failure in 10 to 2,000 characters")],
    customerName: [validate.length(v.customerName, 1, 120, "Enter the customer's name")],
    customerEmail: [validate.email(v.customerEmail, "Enter a valid email address")],
    confirmAccuracy: [v.confirmAccuracy === "yes" ? null : "You must confirm the claim is accurate"],
  });
}

export function registerArdenPortal(router: Router, rt: SandboxRuntime): void {
  registerCommonPortalRoutes(router, rt, spec);


  // Dealer home.
  router.get(`${BASE}/`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const count = rt.state.filingsFor(OEM).length;
    const newClaim = ctl(ARDEN_CONTROLS.newClaim, pr.drift);
    renderPortal(pr, spec, {
      title: "Dealer home",
      body: html`<h1>Welcome back, ${session.username}</h1>
<div class="card"><p>File warranty claims and recall completions for Arden Motors vehicles.</p>
<p class="muted">${count} claim(s) on record for your dealership.</p>
<div class="actions"><a class="button primary" href="${BASE}/claims/new" data-testid="home-${newClaim.id}">${newClaim.text}</a>
<a class="button secondary" href="${BASE}/filings">${filingsTitleOf(spec, pr.drift)}</a></div></div>`,
    });
  });

  router.get(`${BASE}/claims/new`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    renderPortal(pr, spec, { title: "New claim", formPage: true, body: claimForm(pr, EMPTY, {}, null) });
  });

  // Submit the claim form.
  router.post(`${BASE}/claims`, async (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const form = await readForm(ctx.req);
    const values: Values = { ...EMPTY };
    for (const key of Object.keys(F) as (keyof typeof F)[]) values[key] = readField(form, F[key], pr.drift);
    values.vin = values.vin.toUpperCase();
    values.confirmAccuracy = readCheckbox(form, F.confirmAccuracy, pr.drift) ? "yes" : "";
    const errors = validateClaim(values);
    if (Object.keys(errors).length > 0) {
      return renderPortal(pr, spec, { title: "New claim", status: 422, formPage: true, body: claimForm(pr, values, errors, null) });
    }
    const rejection = randomRejection(pr);
    if (rejection) return renderPortal(pr, spec, { title: "New claim", status: 422, formPage: true, body: claimForm(pr, values, {}, rejection) });
    const filing = recordFiling(rt, {
      oem: OEM,
      reference: values.caseReference,
      unitId: values.vin,
      kind: values.claimType,
      username: session.username,
      fields: { ...values },
      document: null,
    });
    if (maybeLoseResponse(pr)) return;
    redirect(ctx.res, `${BASE}/claims/${encodeURIComponent(filing.confirmationNumber)}`);
  });

  // Confirmation / claim detail page.
  router.get(`${BASE}/claims/:confirmation`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    const filing = rt.state.filingsFor(OEM).find((f) => f.confirmationNumber === ctx.params.confirmation);
    if (!filing) {
      return renderPortal(pr, spec, { title: "Claim not found", status: 404, body: html`<h1>Claim not found</h1><p>No claim with that confirmation number.</p>` });
    }
    const d = pr.drift;
    const conf = ctl(ARDEN_CONTROLS.confirmation, d);
    const submitted = ctl(ARDEN_CONTROLS.submitted, d).id;
    const reference = ctl(ARDEN_CONTROLS.reference, d).id;
    renderPortal(pr, spec, {
      title: `Claim ${filing.confirmationNumber}`,
      body: html`<div class="alert alert-success" role="status" data-testid="${submitted}">${d === 2 ? "Thank you, your claim has been filed." : "Claim submitted successfully."}</div>
<div class="card">
  <h1>${d === 2 ? "Claim filed" : "Claim received"}</h1>
  <p>${d === 2 ? "Claim confirmation code" : "Confirmation number"}: <strong class="mono" id="${conf.id}" data-testid="${conf.id}">${filing.confirmationNumber}</strong></p>
  <table>
    <tr><th>Case reference</th><td data-testid="${reference}">${filing.reference}</td></tr>
    <tr><th>Claim type</th><td>${optionLabel(P.kinds, filing.kind)}</td></tr>
    <tr><th>VIN</th><td class="mono">${filing.unitId}</td></tr>
    <tr><th>Submitted</th><td><time datetime="${filing.filedAt}">${filing.filedAt.slice(0, 16).replace("T", " ")} UTC</time></td></tr>
  </table>
</div>`,
    });
  });
}
