// Corvid Instruments portal: search the instrument by ID, open it, fill a short report form,
// confirm in a modal dialog → confirmation banner on the instrument page.

import type { SandboxRuntime } from "../../context.js";
import { OEMS, REFERENCE_PATTERN, todayIso } from "../../domain.js";
import { html, raw, type SafeHtml } from "../../html.js";
import { readForm, redirect, type Router } from "../../http.js";
import type { CorvidUnit } from "../../state.js";
import {
  filingsNavLink,
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
  collectErrors,
  ctl,
  errorSummary,
  inputField,
  portalMessage,
  readField,
  selectField,
  textareaField,
  validate,
  type FieldErrors,
} from "../fields.js";
import { CORVID_CONTROLS as C, CORVID_FIELDS as F, CORVID_SEARCH } from "./selectors.js";

const OEM = "corvid" as const;
const BASE = portalBase(OEM);
const P = OEMS.corvid;

const spec: PortalSpec = {
  oem: OEM,
  filingsTitle: "Report log",
  nav: (drift) => [
    { href: `${BASE}/units`, text: ctl(C.navSearch, drift).text, testid: ctl(C.navSearch, drift).id },
    filingsNavLink(OEM, drift, "Report log"),
  ],
  filingHref: (f) => `${BASE}/units/${encodeURIComponent(f.unitId)}?report=${encodeURIComponent(f.confirmationNumber)}`,
};

type Values = Record<keyof typeof F, string>;
const EMPTY: Values = { caseReference: "", reportType: "", eventDate: "", category: "", cycleCount: "", summary: "", reporterEmail: "" };

function searchBody(pr: PortalRequest, query: string, results: CorvidUnit[] | null): SafeHtml {
  const d = pr.drift;
  const submit = ctl(C.searchSubmit, d);
  const c = (def: typeof C.results): string => ctl(def, d).id;
  const open = ctl(C.open, d);
  let resultsHtml: SafeHtml = html``;
  if (results !== null) {
    resultsHtml =
      results.length === 0
        ? html`<p id="${c(C.noResults)}" data-testid="${c(C.noResults)}" role="status">No instruments match “${query}”. Instrument IDs look like ${P.unitFormatHint.replace(/^.*e\.g\. /, "")}.</p>`
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
  return html`<h1>Find an instrument</h1>
<div class="card">
  <form method="get" action="${BASE}/units" id="unit-search-form" novalidate>
    ${inputField(CORVID_SEARCH.query, d, query, {}, { placeholder: "CI-4821-0093", hint: "Full or partial instrument ID (at least 4 characters)." })}
    <button type="submit" class="primary" id="${submit.id}" data-testid="${submit.id}">${submit.text}</button>
  </form>
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
  const reports = pr.rt.state.filingsFor(OEM).filter((f) => f.unitId === unit.id);
  return html`${
    bannerConfirmation
      ? html`<div class="alert alert-success banner" role="status" id="${banner.id}" data-testid="${banner.id}">Report filed. Confirmation number <strong class="mono" id="${conf.id}" data-testid="${conf.id}">${bannerConfirmation}</strong></div>`
      : ""
  }
<h1>Instrument <span class="mono" data-testid="${unitIdTestid}">${unit.id}</span></h1>
<div class="card">
  <table>
    <tr><th>Model</th><td>${unit.model}</td></tr>
    <tr><th>Site</th><td>${unit.site}</td></tr>
    <tr><th>Installed</th><td>${unit.installedOn}</td></tr>
    <tr><th>Reports on file</th><td data-testid="unit-report-count">${reports.length}</td></tr>
  </table>
</div>
${portalMessage(message)}
${errorSummary(errors)}
<form method="post" action="${BASE}/units/${encodeURIComponent(unit.id)}/reports" id="${form.id}" data-testid="${form.id}" class="card" novalidate>
  <h2>File a report</h2>
  ${inputField(F.caseReference, d, values.caseReference, errors, { placeholder: "NS-2026-00123" })}
  ${selectField(F.reportType, d, P.kinds, values.reportType, errors)}
  ${inputField(F.eventDate, d, values.eventDate, errors, { type: "date" })}
  ${selectField(F.category, d, P.categories, values.category, errors)}
  ${inputField(F.cycleCount, d, values.cycleCount, errors, { type: "number" })}
  ${textareaField(F.summary, d, values.summary, errors, "10 to 500 characters.")}
  ${inputField(F.reporterEmail, d, values.reporterEmail, errors, { type: "email" })}
  <div class="actions"><button type="button" class="primary" id="${review.id}" data-testid="${review.id}" data-opens-dialog="${dialog.id}">${review.text}</button></div>
</form>
<dialog id="${dialog.id}" data-testid="${dialog.id}" aria-labelledby="${dialog.id}-title">
  <h2 id="${dialog.id}-title">Submit this report?</h2>
  <p>The report for instrument <strong class="mono">${unit.id}</strong> will be sent to Corvid Field Safety. Submitted reports cannot be edited.</p>
  <div class="actions">
    <button type="button" class="secondary" id="${cancel.id}" data-testid="${cancel.id}" data-closes-dialog="${dialog.id}">${cancel.text}</button>
    <button type="submit" class="primary" form="${form.id}" name="confirmed" value="yes" id="${confirm.id}" data-testid="${confirm.id}">${confirm.text}</button>
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

  // Instrument search: ?q= (v0) or ?asset= (v1), case-insensitive substring of the ID.
  router.get(`${BASE}/units`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    const rawQuery = ctx.url.searchParams.get(CORVID_SEARCH.query.v0.name) ?? ctx.url.searchParams.get(CORVID_SEARCH.query.v1.name);
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
    renderPortal(pr, spec, { title: `Instrument ${unit.id}`, body: unitBody(pr, unit, EMPTY, {}, null, filed?.confirmationNumber ?? null) });
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
    for (const key of Object.keys(F) as (keyof typeof F)[]) values[key] = readField(form, F[key]);
    const show = (errors: FieldErrors, message: string | null): void =>
      renderPortal(pr, spec, { title: `Instrument ${unit.id}`, status: 422, body: unitBody(pr, unit, values, errors, message, null) });
    const errors = validateReport(values);
    if (Object.keys(errors).length > 0) return show(errors, null);
    if (form.get("confirmed") !== "yes") return show({}, "Please confirm the submission in the dialog.");
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

