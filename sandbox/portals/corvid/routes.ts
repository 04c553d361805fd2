// Corvid Instruments portal: search the instrument by ID, open it, fill a short report form,
// confirm in a modal dialog → confirmation banner on the instrument page.

import type { SandboxRuntime } from "../../context.js";
import { OEMS, REFERENCE_PATTERN, todayIso } from "../../domain.js";
import { html, raw, type SafeHtml } from "../../html.js";
import { readForm, redirect, type Router } from "../../http.js";
import type { CorvidUnit } from "../../state.js";
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
  readSearchParam,
  requireSession,
  type PortalRequest,
  type PortalSpec,
} from "../common.js";
import {
  collectErrors,
  ctl,
  errorSummary,
  fieldGroup,
  inputField,
  names,
  portalMessage,
  readField,
  readRawField,
  selectField,
  textareaField,
  validate,
  type FieldErrors,
} from "../fields.js";
import { CORVID_CONFIRMED, CORVID_CONTROLS as C, CORVID_FIELDS as F, CORVID_SEARCH } from "./selectors.js";

const OEM = "corvid" as const;
const BASE = portalBase(OEM);
const P = OEMS.corvid;

const spec: PortalSpec = {
  oem: OEM,
  filingsTitle: "Report log",
  nav: (drift) => [
    { href: `${BASE}/units`, text: ctl(C.navSearch, drift).text, testid: ctl(C.navSearch, drift).id },
    filingsNavLink(OEM, drift, filingsTitleOf(spec, drift)),
  ],
  filingHref: (f) => `${BASE}/units/${encodeURIComponent(f.unitId)}?report=${encodeURIComponent(f.confirmationNumber)}`,
  drift2: {
    filingsTitle: "Filed reports",
    signInHeading: "Corvid partner access",
    signInText: "Sign in and continue",
    notice: {
      id: "corvid-review-process-2026",
      title: "Field safety reports: new review process",
      body: "Reports are now reviewed by Corvid Field Safety within two working days. You will receive an email once your report has been reviewed.",
      acknowledge: "Acknowledge",
      destructive: { text: "Sign out now", href: `${BASE}/logout`, as: "button" },
    },
  },
};

type Values = Record<keyof typeof F, string>;
const EMPTY: Values = { caseReference: "", reportType: "", eventDate: "", category: "", cycleCount: "", summary: "", reporterEmail: "" };

function searchBody(pr: PortalRequest, query: string, results: CorvidUnit[] | null): SafeHtml {
  const d = pr.drift;
  const searchForm = ctl(C.searchForm, d).id;
  const submit = ctl(C.searchSubmit, d);
  const c = (def: typeof C.results): string => ctl(def, d).id;
  const open = ctl(C.open, d);
  let resultsHtml: SafeHtml = html``;
  if (results !== null) {
    resultsHtml =
      results.length === 0
        ? html`<p id="${c(C.noResults)}" data-testid="${c(C.noResults)}" role="status">${d === 2 ? `No instruments match “${query}”. Check the ID: instrument IDs look like ${P.unitFormatHint.replace(/^.*e\.g\. /, "")}.` : `No instruments match “${query}”. Instrument IDs look like ${P.unitFormatHint.replace(/^.*e\.g\. /, "")}.`}</p>`
        : html`<table id="${c(C.results)}" data-testid="${c(C.results)}">
  <thead><tr><th>Instrument ID</th><th>Model</th><th>Site</th><th></th></tr></thead>
  <tbody>
  ${results.map(
    (u) => html`<tr data-testid="${c(C.row)}" data-unit-id="${u.id}">
    <td class="mono">${u.id}</td><td>${u.model}</td><td>${u.site}</td>
    <td><a href="${BASE}/units/${encodeURIComponent(u.id)}" data-testid="${open.id}">${open.text}</a></td>
  </tr>`,
  )}
  </tbody>
</table>`;
  }
  const form = html`<form method="get" action="${BASE}/units" id="${searchForm}" data-testid="${searchForm}" novalidate>
    ${inputField(CORVID_SEARCH.query, d, query, {}, { placeholder: "CI-4821-0093", hint: "Full or partial instrument ID (at least 4 characters)." })}
    <button type="submit" class="primary" id="${submit.id}" data-testid="${submit.id}">${submit.text}</button>
  </form>`;
  return html`<h1>${d === 2 ? "Instrument registry" : "Find an instrument"}</h1>
<div class="card">
  ${d === 2 ? html`<section class="finder" aria-label="Instrument search">${form}</section>` : form}
</div>
<div class="card">${resultsHtml}</div>`;
}

function unitBody(pr: PortalRequest, unit: CorvidUnit, values: Values, errors: FieldErrors, message: string | null, bannerConfirmation: string | null): SafeHtml {
  const d = pr.drift;
  const form = ctl(C.form, d);
  const review = ctl(C.review, d);
  const dialog = ctl(C.dialog, d);
  const confirm = ctl(C.confirm, d);
  const cancel = ctl(C.cancel, d);
  const banner = ctl(C.banner, d);
  const conf = ctl(C.confirmation, d);
  const unitIdTestid = ctl(C.unitId, d).id;
  const reportCount = ctl(C.reportCount, d).id;
  const caseRef = inputField(F.caseReference, d, values.caseReference, errors, { placeholder: "NS-2026-00123" });
  const reportType = selectField(F.reportType, d, P.kinds, values.reportType, errors);
  const eventDate = inputField(F.eventDate, d, values.eventDate, errors, { type: "date" });
  const category = selectField(F.category, d, P.categories, values.category, errors);
  const cycles = inputField(F.cycleCount, d, values.cycleCount, errors, { type: "number" });
  const summary = textareaField(F.summary, d, values.summary, errors, "10 to 500 characters.");
  const email = inputField(F.reporterEmail, d, values.reporterEmail, errors, { type: "email" });
  const reviewButton = html`<button type="button" class="primary" id="${review.id}" data-testid="${review.id}" data-opens-dialog="${dialog.id}">${review.text}</button>`;
  // The redesign splits the form in two fieldsets and asks for the cycle count before the date.
  const formFields =
    d === 2
      ? html`${fieldGroup(d, "", html`${caseRef}
  ${reportType}
  ${cycles}
  ${eventDate}
  ${category}`, "Event")}
  ${fieldGroup(d, "", html`${summary}
  ${email}`, "Description and contact")}
  <div class="form-actions"><div class="actions">${reviewButton}</div></div>`
      : html`${caseRef}
  ${reportType}
  ${eventDate}
  ${category}
  ${cycles}
  ${summary}
  ${email}
  <div class="actions">${reviewButton}</div>`;
  const reports = pr.rt.state.filingsFor(OEM).filter((f) => f.unitId === unit.id);
  return html`${
    bannerConfirmation
      ? html`<div class="alert alert-success banner" role="status" id="${banner.id}" data-testid="${banner.id}">${d === 2 ? "Thank you, your report was received. Confirmation code" : "Report filed. Confirmation number"} <strong class="mono" id="${conf.id}" data-testid="${conf.id}">${bannerConfirmation}</strong></div>`
      : ""
  }
<h1>Instrument <span class="mono" data-testid="${unitIdTestid}">${unit.id}</span></h1>
<div class="card">
  <table>
    <tr><th>Model</th><td>${unit.model}</td></tr>
    <tr><th>Site</th><td>${unit.site}</td></tr>
    <tr><th>Installed</th><td>${unit.installedOn}</td></tr>
    <tr><th>Reports on file</th><td data-testid="${reportCount}">${reports.length}</td></tr>
  </table>
</div>
${portalMessage(message)}
${errorSummary(errors)}
<form method="post" action="${BASE}/units/${encodeURIComponent(unit.id)}/reports" id="${form.id}" data-testid="${form.id}" class="card" novalidate>
  <h2>${d === 2 ? "Report an incident" : "File a report"}</h2>
  ${formFields}
</form>
<dialog id="${dialog.id}" data-testid="${dialog.id}" aria-labelledby="${dialog.id}-title">
  <h2 id="${dialog.id}-title">${d === 2 ? "Send this report to Corvid?" : "Submit this report?"}</h2>
  <p>The report for instrument <strong class="mono">${unit.id}</strong> will be sent to Corvid Field Safety. ${d === 2 ? "Once sent, a report can no longer be changed." : "Submitted reports cannot be edited."}</p>
  <div class="actions">
    <button type="button" class="secondary" id="${cancel.id}" data-testid="${cancel.id}" data-closes-dialog="${dialog.id}">${cancel.text}</button>
    <button type="submit" class="primary" form="${form.id}" name="${names(CORVID_CONFIRMED, d).name}" value="yes" id="${confirm.id}" data-testid="${confirm.id}">${confirm.text}</button>
  </div>
</dialog>
${raw(`<script>
document.querySelectorAll("[data-opens-dialog]").forEach(function(b){b.addEventListener("click",function(){var d=document.getElementById(b.getAttribute("data-opens-dialog"));if(d)d.showModal();});});
document.querySelectorAll("[data-closes-dialog]").forEach(function(b){b.addEventListener("click",function(){var d=document.getElementById(b.getAttribute("data-closes-dialog"));if(d)d.close();});});
</script>`)}`;
}

function validateReport(v: Values): FieldErrors {
  return collectErrors({
    caseReference: [validate.pattern(v.caseReference, REFERENCE_PATTERN, "Enter the case reference as NS-YYYY-NNNNN")],
    reportType: [validate.oneOf(v.reportType, P.kinds, "Select a report type")],
    eventDate: [validate.pastDate(v.eventDate, "Event date", todayIso())],
    category: [validate.oneOf(v.category, P.categories, "Select a category")],
    cycleCount: [validate.integer(v.cycleCount, 0, 10_000_000, "Enter the cycle count as a whole number")],
    summary: [validate.length(v.summary, 10, 500, "Summary must be between 10 and 500 characters")],
    reporterEmail: [validate.email(v.reporterEmail, "Enter a valid email address")],
  });
}

function normaliseId(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, "");
}

export function registerCorvidPortal(router: Router, rt: SandboxRuntime): void {
  registerCommonPortalRoutes(router, rt, spec);

  router.get(`${BASE}/`, (ctx) => redirect(ctx.res, `${BASE}/units`));

  // Instrument search: ?q= (v0), ?asset= (v1) or ?instrument= (v2), case-insensitive substring of the ID.
  router.get(`${BASE}/units`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    // Every version's parameter keeps working (old links survive the redesign), this drift's first.
    const rawQuery = readSearchParam(ctx.url.searchParams, CORVID_SEARCH.query, pr.drift);
    const query = normaliseId(rawQuery ?? "");
    let results: CorvidUnit[] | null = null;
    if (rawQuery !== null) {
      results = query.length < 4 ? [] : [...rt.state.corvidUnits.values()].filter((u) => u.id.includes(query)).slice(0, 20);
    }
    renderPortal(pr, spec, { title: "Find an instrument", body: searchBody(pr, rawQuery?.trim() ?? "", results) });
  });

  router.get(`${BASE}/units/:unitId`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    const unit = rt.state.corvidUnits.get(normaliseId(ctx.params.unitId ?? ""));
    if (!unit) {
      return renderPortal(pr, spec, { title: "Not found", status: 404, body: html`<h1>Instrument not found</h1><p data-testid="unit-not-found">No instrument with ID “${ctx.params.unitId ?? ""}”.</p>` });
    }
    const reportParam = ctx.url.searchParams.get("report");
    const filed = reportParam ? rt.state.filingsFor(OEM).find((f) => f.confirmationNumber === reportParam && f.unitId === unit.id) : undefined;
    renderPortal(pr, spec, { title: `Instrument ${unit.id}`, formPage: true, body: unitBody(pr, unit, EMPTY, {}, null, filed?.confirmationNumber ?? null) });
  });

  // Submit the report (the dialog's confirm button posts confirmed=yes).
  router.post(`${BASE}/units/:unitId/reports`, async (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const unit = rt.state.corvidUnits.get(normaliseId(ctx.params.unitId ?? ""));
    if (!unit) return redirect(ctx.res, `${BASE}/units`);
    const form = await readForm(ctx.req);
    const values: Values = { ...EMPTY };
    for (const key of Object.keys(F) as (keyof typeof F)[]) values[key] = readField(form, F[key], pr.drift);
    const show = (errors: FieldErrors, message: string | null): void =>
      renderPortal(pr, spec, { title: `Instrument ${unit.id}`, status: 422, formPage: true, body: unitBody(pr, unit, values, errors, message, null) });
    const errors = validateReport(values);
    if (Object.keys(errors).length > 0) return show(errors, null);
    if (readRawField(form, CORVID_CONFIRMED, pr.drift) !== "yes") return show({}, "Please confirm the submission in the dialog.");
    const rejection = randomRejection(pr);
    if (rejection) return show({}, rejection);
    const filing = recordFiling(rt, {
      oem: OEM,
      reference: values.caseReference,
      unitId: unit.id,
      kind: values.reportType,
      username: session.username,
      fields: { ...values },
      document: null,
    });
    if (maybeLoseResponse(pr)) return;
    redirect(ctx.res, `${BASE}/units/${encodeURIComponent(unit.id)}?report=${encodeURIComponent(filing.confirmationNumber)}`);
  });
}

