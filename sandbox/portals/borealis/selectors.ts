// Borealis Machinery wizard: field ids/names/labels per DOM drift version (see sandbox/README.md).
// Drift 2 is Borealis's redesigned dealer portal: `bm-` ids, snake_case names.

import { control, field } from "../fields.js";

export const BOREALIS_FIELDS = {
  // Step 1 — Machine
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["dealer-reference", "dealerReference", "Dealer reference"], ["bm-case-ref", "case_ref", "Case reference"]),
  submissionType: field("submissionType", ["submission-type", "submissionType", "Submission type"], ["filing-category", "filingCategory", "Filing category"], ["bm-report-kind", "report_kind", "Type of submission"]),
  serialNumber: field("serialNumber", ["serial-number", "serialNumber", "Machine serial number"], ["machine-serial", "machineSerial", "Serial no."], ["bm-machine-sn", "machine_sn", "Machine serial number"]),
  // Step 2 — Details
  engineHours: field("engineHours", ["engine-hours", "engineHours", "Engine hours"], ["hour-meter", "hourMeter", "Hour meter reading"], ["bm-operating-hours", "operating_hours", "Operating hours (engine)"]),
  eventDate: field("eventDate", ["event-date", "eventDate", "Event date"], ["occurrence-date", "occurrenceDate", "Date of occurrence"], ["bm-event-day", "event_day", "Event date"]),
  category: field("category", ["system-category", "systemCategory", "Affected system"], ["system-group", "systemGroup", "System group"], ["bm-affected-system", "affected_system", "Affected system"]),
  details: field("details", ["details", "details", "Details"], ["narrative", "narrative", "Narrative"], ["bm-event-narrative", "event_narrative", "Event details"]),
  contactName: field("contactName", ["contact-name", "contactName", "Contact name"], ["contact-person", "contactPerson", "Contact person"], ["bm-contact-person-name", "contact_person_name", "Contact name"]),
  contactPhone: field("contactPhone", ["contact-phone", "contactPhone", "Contact phone"], ["contact-number", "contactNumber", "Phone number"], ["bm-contact-tel", "contact_tel", "Contact phone"]),
  // Step 3 — Documents
  document: field("document", ["supporting-document", "supportingDocument", "Supporting document (PDF)"], ["evidence-file", "evidenceFile", "Evidence file (PDF)"], ["bm-attachment", "attachment", "Supporting document (PDF)"]),
  // Step 4 — Review
  declaration: field(
    "declaration",
    ["declaration", "declaration", "I declare that this submission is complete and accurate"],
    ["dealer-declaration", "dealerDeclaration", "Dealer declaration: the above is true and complete"],
    ["bm-declaration-ack", "declaration_ack", "I confirm that this submission is complete and accurate"],
  ),
};

/** The wizard's buttons post their `value` (next / back / submit) under this name. */
export const BOREALIS_ACTION = field("action", ["", "action", ""], ["", "action", ""], ["", "wizard_action", ""]);

export const BOREALIS_CONTROLS = {
  next: control(["wizard-next", "Next"], ["step-forward", "Continue"], ["bm-step-next", "Save and continue"]),
  back: control(["wizard-back", "Back"], ["step-back", "Previous"], ["bm-step-back", "Go back"]),
  submit: control(["wizard-submit", "Submit to Borealis"], ["finalize-submission", "Finalize submission"], ["bm-send", "Send to Borealis"]),
  start: control(["nav-new-submission", "New submission"], ["nav-start-filing", "Start filing"], ["nav-create-submission", "Create submission"]),
  receipt: control(["receipt-number", ""], ["submission-receipt-id", ""], ["bm-receipt-code", ""]),
  form: control(["wizard-form", ""], ["filing-wizard", ""], ["bm-wizard", ""]),
  /** Step 4's summary table, step 3's "Uploaded: …" line and the receipt's reference cell. */
  review: control(["review-summary", ""], ["review-summary", ""], ["bm-review-table", ""]),
  uploaded: control(["uploaded-document", ""], ["uploaded-document", ""], ["bm-current-attachment", ""]),
  receiptReference: control(["receipt-reference", ""], ["receipt-reference", ""], ["bm-receipt-case-ref", ""]),
};
