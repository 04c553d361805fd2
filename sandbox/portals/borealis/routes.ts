// Borealis Machinery portal: a 4-step wizard (machine → details → PDF upload → review) with
// server-side validation shown inline, then a receipt page.

import { createHash } from "node:crypto";
import type { SandboxRuntime } from "../../context.js";
import { OEMS, REFERENCE_PATTERN, optionLabel, todayIso } from "../../domain.js";
import { html, type SafeHtml } from "../../html.js";
import { HttpError, readBody, readForm, redirect, type RequestContext, type Router } from "../../http.js";
import { multipartBoundary, parseMultipart } from "../../multipart.js";
import type { FilingDocument } from "../../state.js";
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
  names,
  portalMessage,
  readCheckbox,
  readField,
  readRawField,
  selectField,
  textareaField,
  validate,
  acceptedNames,
  type Drift,
  type FieldDef,
  type FieldErrors,
} from "../fields.js";
import type { WizardDraft } from "../sessions.js";
import { BOREALIS_ACTION, BOREALIS_CONTROLS, BOREALIS_FIELDS as F } from "./selectors.js";

const OEM = "borealis" as const;
const BASE = portalBase(OEM);
const P = OEMS.borealis;
const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const STEP_TITLES = ["Machine", "Details", "Documents", "Review & submit"] as const;

const spec: PortalSpec = {
  oem: OEM,
  filingsTitle: "Submission history",
  nav: (drift) => [
    { href: `${BASE}/submission/start`, text: ctl(BOREALIS_CONTROLS.start, drift).text, testid: ctl(BOREALIS_CONTROLS.start, drift).id },
    filingsNavLink(OEM, drift, filingsTitleOf(spec, drift)),
  ],
  filingHref: (f) => `${BASE}/submissions/${encodeURIComponent(f.confirmationNumber)}`,
  drift2: {
    filingsTitle: "Past submissions",
    signInHeading: "Borealis dealer portal",
    signInText: "Log in to dealer portal",
    notice: {
      id: "borealis-emissions-rules-2027",
      title: "Emissions reporting changes from 1 January",
      body: "From 1 January, emissions compliance reports must include the hour-meter reading at the time of the event. Submissions started before then can still be completed as they are.",
      acknowledge: "I understand",
      destructive: { text: "Discard draft", href: `${BASE}/submission/start`, as: "button" },
    },
  },
};

const STEP1: readonly FieldDef[] = [F.caseReference, F.submissionType, F.serialNumber];
const STEP2: readonly FieldDef[] = [F.engineHours, F.eventDate, F.category, F.details, F.contactName, F.contactPhone];

function newDraft(): WizardDraft {
  return { fields: {}, step1Done: false, step2Done: false, document: null };
}

function validateStep1(v: Record<string, string>): FieldErrors {
  return collectErrors({
    caseReference: [validate.pattern(v.caseReference ?? "", REFERENCE_PATTERN, "Enter the case reference as NS-YYYY-NNNNN")],
    submissionType: [validate.oneOf(v.submissionType ?? "", P.kinds, "Select a submission type")],
    serialNumber: [validate.pattern(v.serialNumber ?? "", P.unitPattern, "Invalid serial number format — expected BM-XXX-NNNNNN (e.g. BM-EX2-004512)")],
  });
}

function validateStep2(v: Record<string, string>): FieldErrors {
  return collectErrors({
    engineHours: [validate.integer(v.engineHours ?? "", 0, 100_000, "Enter engine hours as a whole number (0–100,000)")],
    eventDate: [validate.pastDate(v.eventDate ?? "", "Event date", todayIso())],
    category: [validate.oneOf(v.category ?? "", P.categories, "Select the affected system")],
    details: [validate.length(v.details ?? "", 20, 4000, "Details must be between 20 and 4,000 characters")],
    contactName: [validate.length(v.contactName ?? "", 1, 120, "Enter a contact name")],
    contactPhone: [validate.pattern(v.contactPhone ?? "", /^[+0-9 ()-]{7,20}$/, "Enter a valid phone number (digits, spaces, +, - and brackets)")],
  });
}

function stepIndicator(current: number): SafeHtml {
  return html`<ol class="steps" data-testid="wizard-steps" aria-label="Progress">
  ${STEP_TITLES.map((title, i) => {
    const n = i + 1;
    const cls = n === current ? "current" : n < current ? "done" : "";
    return html`<li class="${cls}" data-step="${n}"${n === current ? html` aria-current="step"` : ""}>${n}. ${title}</li>`;
  })}
</ol>`;
}

function navButtons(pr: PortalRequest, step: number): SafeHtml {
  const next = ctl(step === 4 ? BOREALIS_CONTROLS.submit : BOREALIS_CONTROLS.next, pr.drift);
  const back = ctl(BOREALIS_CONTROLS.back, pr.drift);
  const name = names(BOREALIS_ACTION, pr.drift).name;
  const buttons = html`${step > 1 ? html`<button type="submit" class="secondary" name="${name}" value="back" id="${back.id}" data-testid="${back.id}">${back.text}</button>` : ""}
  <button type="submit" class="primary" name="${name}" value="${step === 4 ? "submit" : "next"}" id="${next.id}" data-testid="${next.id}">${next.text}</button>`;
  return pr.drift === 2 ? html`<div class="wizard-footer"><div class="actions">${buttons}</div></div>` : html`<div class="actions">${buttons}</div>`;
}

function stepBody(pr: PortalRequest, step: number, draft: WizardDraft, errors: FieldErrors, message: string | null): SafeHtml {
  const d = pr.drift;
  const v = draft.fields;
  const val = (def: FieldDef): string => v[def.key] ?? "";
  const form = ctl(BOREALIS_CONTROLS.form, d);
  let content: SafeHtml;
  switch (step) {
    case 1: {
      const fields = html`${inputField(F.caseReference, d, val(F.caseReference), errors, { placeholder: "NS-2026-00123" })}
${selectField(F.submissionType, d, P.kinds, val(F.submissionType), errors)}
${inputField(F.serialNumber, d, val(F.serialNumber), errors, { hint: P.unitFormatHint })}`;
      content = d === 2 ? fieldGroup(d, "", fields, "Machine identification") : fields;
      break;
    }
    case 2: {
      const hours = inputField(F.engineHours, d, val(F.engineHours), errors, { type: "number" });
      const date = inputField(F.eventDate, d, val(F.eventDate), errors, { type: "date" });
      const event = html`${selectField(F.category, d, P.categories, val(F.category), errors)}
${textareaField(F.details, d, val(F.details), errors, "At least 20 characters.")}`;
      const contact = html`${inputField(F.contactName, d, val(F.contactName), errors)}
${inputField(F.contactPhone, d, val(F.contactPhone), errors, { type: "tel" })}`;
      // The redesign groups the step in two fieldsets and asks for the event date before the hours.
      content =
        d === 2
          ? html`${fieldGroup(d, "", html`${date}
${hours}
${event}`, "Machine and event")}
${fieldGroup(d, "", contact, "Dealer contact")}`
          : html`${hours}
${date}
${event}
${contact}`;
      break;
    }
    case 3: {
      const n = names(F.document, d);
      const err = errors.document;
      const uploaded = ctl(BOREALIS_CONTROLS.uploaded, d).id;
      const input = html`<input id="${n.id}" name="${n.name}" data-testid="${n.id}" type="file" accept="application/pdf,.pdf"${err ? html` aria-invalid="true"` : ""}>`;
      const error = err ? html`<p class="field-error" id="${n.id}-error" data-testid="field-error-document" role="alert">${err}</p>` : "";
      content = html`${
        d === 2
          ? html`<div class="form-row upload${err ? " form-row--invalid" : ""}">
  <div class="form-row__label"><label for="${n.id}">${n.label}</label></div>
  <div class="form-row__control">${input}</div>
  <p class="hint">PDF files only, 5 MB at most.</p>
  ${error}
</div>`
          : html`<div class="field${err ? " has-error" : ""}">
  <label for="${n.id}">${n.label}</label>
  ${input}
  <p class="hint">PDF only, up to 5 MB.</p>
  ${error}
</div>`
      }
${draft.document ? html`<p data-testid="${uploaded}">Uploaded: <strong>${draft.document.filename}</strong> (${draft.document.size.toLocaleString("en-US")} bytes). Choose another file to replace it.</p>` : ""}`;
      break;
    }
    default:
      content = html`<table data-testid="${ctl(BOREALIS_CONTROLS.review, d).id}">
  <tr><th>Case reference</th><td>${val(F.caseReference)}</td></tr>
  <tr><th>Submission type</th><td>${optionLabel(P.kinds, val(F.submissionType))}</td></tr>
  <tr><th>Serial number</th><td class="mono">${val(F.serialNumber)}</td></tr>
  <tr><th>Engine hours</th><td>${val(F.engineHours)}</td></tr>
  <tr><th>Event date</th><td>${val(F.eventDate)}</td></tr>
  <tr><th>Affected system</th><td>${optionLabel(P.categories, val(F.category))}</td></tr>
  <tr><th>Details</th><td>${val(F.details)}</td></tr>
  <tr><th>Contact</th><td>${val(F.contactName)}, ${val(F.contactPhone)}</td></tr>
  <tr><th>Document</th><td>${draft.document?.filename ?? "—"}</td></tr>
</table>
${d === 2 ? html`<section class="declaration" aria-label="Declaration">${checkboxField(F.declaration, d, false, errors)}</section>` : checkboxField(F.declaration, d, false, errors)}`;
  }
  return html`<h1>${d === 2 ? "Create a submission" : "New submission"}</h1>
${stepIndicator(step)}
${portalMessage(message)}
${errorSummary(errors)}
<form method="post" action="${BASE}/submission/step/${step}" id="${form.id}" data-testid="${form.id}" data-step="${step}" class="card" novalidate${step === 3 ? html` enctype="multipart/form-data"` : ""}>
  <h2>Step ${step} of 4 — ${STEP_TITLES[step - 1] ?? ""}</h2>
  ${content}
  ${navButtons(pr, step)}
</form>`;
}

/** The first step whose prerequisites are missing (or the requested step when all are met). */
function allowedStep(draft: WizardDraft, requested: number): number {
  if (requested >= 2 && !draft.step1Done) return 1;
  if (requested >= 3 && !draft.step2Done) return 2;
  if (requested >= 4 && !draft.document) return 3;
  return requested;
}

function parseStep(ctx: RequestContext): number | null {
  const n = Number(ctx.params.step);
  return Number.isInteger(n) && n >= 1 && n <= 4 ? n : null;
}

interface PostedStep3 {
  fields: Map<string, string>;
  file: { filename: string; contentType: string; data: Buffer } | null;
}

async function readStep3(ctx: RequestContext, drift: Drift): Promise<PostedStep3> {
  const boundary = multipartBoundary(ctx.req.headers["content-type"]);
  if (!boundary) {
    const form = await readForm(ctx.req);
    return { fields: new Map(form.entries()), file: null };
  }
  const body = await readBody(ctx.req, MAX_DOCUMENT_BYTES + 1024 * 1024);
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch {
    throw new HttpError(400, "bad_multipart", "Malformed multipart body");
  }
  const fields = new Map<string, string>();
  let file: PostedStep3["file"] = null;
  for (const part of parts) {
    if (part.filename !== null) {
      if (acceptedNames(F.document, drift).includes(part.name) && (part.filename !== "" || part.data.length > 0)) {
        file = { filename: part.filename, contentType: part.contentType ?? "application/octet-stream", data: part.data };
      }
    } else {
      fields.set(part.name, part.data.toString("utf8"));
    }
  }
  return { fields, file };
}

function checkDocument(file: NonNullable<PostedStep3["file"]>): string | null {
  if (file.data.length === 0) return "The selected file is empty";
  if (file.data.length > MAX_DOCUMENT_BYTES) return "The file is larger than 5 MB";
  if (file.data.subarray(0, 5).toString("latin1") !== "%PDF-") return "Only PDF files are accepted — the selected file is not a PDF";
  return null;
}

export function registerBorealisPortal(router: Router, rt: SandboxRuntime): void {
  registerCommonPortalRoutes(router, rt, spec);


  router.get(`${BASE}/`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const start = ctl(BOREALIS_CONTROLS.start, pr.drift);
    renderPortal(pr, spec, {
      title: "Dashboard",
      body: html`<h1>Dealer dashboard</h1>
<div class="card"><p>Signed in as <strong>${session.username}</strong>. Submit emissions compliance reports and warranty claims for Borealis machines.</p>
<div class="actions"><a class="button primary" href="${BASE}/submission/start" data-testid="home-${start.id}">${start.text}</a>
<a class="button secondary" href="${BASE}/filings">${filingsTitleOf(spec, pr.drift)}</a></div></div>`,
    });
  });

  // Starts a fresh wizard (discarding any draft).
  router.get(`${BASE}/submission/start`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    session.draft = newDraft();
    redirect(ctx.res, `${BASE}/submission/step/1`);
  });

  router.get(`${BASE}/submission/step/:step`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const step = parseStep(ctx);
    if (step === null) return redirect(ctx.res, `${BASE}/submission/step/1`);
    session.draft ??= newDraft();
    const allowed = allowedStep(session.draft, step);
    if (allowed !== step) return redirect(ctx.res, `${BASE}/submission/step/${allowed}`);
    renderPortal(pr, spec, { title: `New submission — step ${step}`, formPage: true, body: stepBody(pr, step, session.draft, {}, null) });
  });

  router.post(`${BASE}/submission/step/:step`, async (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    const session = requireSession(pr);
    if (!session) return;
    const step = parseStep(ctx);
    if (step === null) return redirect(ctx.res, `${BASE}/submission/step/1`);
    const draft = (session.draft ??= newDraft());
    const allowed = allowedStep(draft, step);
    if (allowed !== step) return redirect(ctx.res, `${BASE}/submission/step/${allowed}`);

    const posted = step === 3 ? await readStep3(ctx, pr.drift) : { fields: new Map((await readForm(ctx.req)).entries()), file: null };
    const action = readRawField(posted.fields, BOREALIS_ACTION, pr.drift) ?? "next";
    const show = (errors: FieldErrors, message: string | null = null): void =>
      renderPortal(pr, spec, { title: `New submission — step ${step}`, status: 422, formPage: true, body: stepBody(pr, step, draft, errors, message) });

    if (step === 1 || step === 2) {
      const defs = step === 1 ? STEP1 : STEP2;
      for (const def of defs) draft.fields[def.key] = readField(posted.fields, def, pr.drift);
      if (step === 1) draft.fields.serialNumber = (draft.fields.serialNumber ?? "").toUpperCase();
      if (action === "back") return redirect(ctx.res, `${BASE}/submission/step/${step - 1}`);
      const errors = step === 1 ? validateStep1(draft.fields) : validateStep2(draft.fields);
      if (step === 1) draft.step1Done = Object.keys(errors).length === 0;
      else draft.step2Done = Object.keys(errors).length === 0;
      if (Object.keys(errors).length > 0) return show(errors);
      return redirect(ctx.res, `${BASE}/submission/step/${step + 1}`);
    }

    if (step === 3) {
      if (posted.file) {
        const problem = checkDocument(posted.file);
        if (problem) {
          if (action === "back") return redirect(ctx.res, `${BASE}/submission/step/2`);
          return show({ document: problem });
        }
        const doc: FilingDocument = {
          filename: posted.file.filename || "document.pdf",
          contentType: posted.file.contentType,
          size: posted.file.data.length,
          sha256: createHash("sha256").update(posted.file.data).digest("hex"),
        };
        draft.document = doc;
      }
      if (action === "back") return redirect(ctx.res, `${BASE}/submission/step/2`);
      if (!draft.document) return show({ document: "Choose a PDF file to upload" });
      return redirect(ctx.res, `${BASE}/submission/step/4`);
    }

    // Step 4: review and submit.
    if (action === "back") return redirect(ctx.res, `${BASE}/submission/step/3`);
    if (!readCheckbox(posted.fields, F.declaration, pr.drift)) return show({ declaration: "You must accept the declaration to submit" });
    const rejection = randomRejection(pr);
    if (rejection) return show({}, rejection);
    const filing = recordFiling(rt, {
      oem: OEM,
      reference: draft.fields.caseReference ?? "",
      unitId: draft.fields.serialNumber ?? "",
      kind: draft.fields.submissionType ?? "",
      username: session.username,
      fields: { ...draft.fields, declaration: "yes" },
      document: draft.document,
    });
    session.draft = null;
    if (maybeLoseResponse(pr)) return;
    redirect(ctx.res, `${BASE}/submissions/${encodeURIComponent(filing.confirmationNumber)}`);
  });

  // Receipt page.
  router.get(`${BASE}/submissions/:confirmation`, (ctx) => {
    const pr = loadPortalRequest(rt, OEM, ctx);
    if (!requireSession(pr)) return;
    const filing = rt.state.filingsFor(OEM).find((f) => f.confirmationNumber === ctx.params.confirmation);
    if (!filing) {
      return renderPortal(pr, spec, { title: "Not found", status: 404, body: html`<h1>Submission not found</h1>` });
    }
    const d = pr.drift;
    const receipt = ctl(BOREALIS_CONTROLS.receipt, d);
    renderPortal(pr, spec, {
      title: `Receipt ${filing.confirmationNumber}`,
      body: html`<div class="card">
  <h1>${d === 2 ? "Submission sent" : "Submission received"}</h1>
  <p>${d === 2 ? "Borealis Machinery has received your submission. Keep the receipt code for your records." : "Thank you. Your submission has been received by Borealis Machinery."}</p>
  <p>${d === 2 ? "Receipt code" : "Receipt number"}: <strong class="mono" id="${receipt.id}" data-testid="${receipt.id}">${filing.confirmationNumber}</strong></p>
  <table>
    <tr><th>Case reference</th><td data-testid="${ctl(BOREALIS_CONTROLS.receiptReference, d).id}">${filing.reference}</td></tr>
    <tr><th>Serial number</th><td class="mono">${filing.unitId}</td></tr>
    <tr><th>Type</th><td>${optionLabel(P.kinds, filing.kind)}</td></tr>
    <tr><th>Document</th><td>${filing.document?.filename ?? "—"}</td></tr>
    <tr><th>Received</th><td><time datetime="${filing.filedAt}">${filing.filedAt.slice(0, 16).replace("T", " ")} UTC</time></td></tr>
  </table>
</div>`,
    });
  });
}
