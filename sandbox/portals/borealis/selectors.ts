// Borealis Machinery wizard: field ids/names/labels per DOM drift version (see sandbox/README.md).

import { control, field } from "../fields.js";

export const BOREALIS_FIELDS = {
  // Step 1 — Machine
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["dealer-reference", "dealerReference", "Dealer reference"]),
  submissionType: field("submissionType", ["submission-type", "submissionType", "Submission type"], ["filing-category", "filingCategory", "Filing category"]),
  serialNumber: field("serialNumber", ["serial-number", "serialNumber", "Machine serial number"], ["machine-serial", "machineSerial", "Serial no."]),
  // Step 2 — Details
  engineHours: field("engineHours", ["engine-hours", "engineHours", "Engine hours"], ["hour-meter", "hourMeter", "Hour meter reading"]),
  eventDate: field("eventDate", ["event-date", "eventDate", "Event date"], ["occurrence-date", "occurrenceDate", "Date of occurrence"]),
  category: field("category", ["system-category", "systemCategory", "Affected system"], ["system-group", "systemGroup", "System group"]),
  details: field("details", ["details", "details", "Details"], ["narrative", "narrative", "Narrative"]),
  contactName: field("contactName", ["contact-name", "contactName", "Contact name"], ["contact-person", "contactPerson", "Contact person"]),
  contactPhone: field("contactPhone", ["contact-phone", "contactPhone", "Contact phone"], ["contact-number", "contactNumber", "Phone number"]),
  // Step 3 — Documents
  document: field("document", ["supporting-document", "supportingDocument", "Supporting document (PDF)"], ["evidence-file", "evidenceFile", "Evidence file (PDF)"]),
  // Step 4 — Review
  declaration: field(
    "declaration",
    ["declaration", "declaration", "I declare that this submission is complete and accurate"],
    ["dealer-declaration", "dealerDeclaration", "Dealer declaration: the above is true and complete"],
  ),
};

export const BOREALIS_CONTROLS = {
  next: control(["wizard-next", "Next"], ["step-forward", "Continue"]),
  back: control(["wizard-back", "Back"], ["step-back", "Previous"]),
  submit: control(["wizard-submit", "Submit to Borealis"], ["finalize-submission", "Finalize submission"]),
  start: control(["nav-new-submission", "New submission"], ["nav-start-filing", "Start filing"]),
  receipt: control(["receipt-number", ""], ["submission-receipt-id", ""]),
  form: control(["wizard-form", ""], ["filing-wizard", ""]),
};
