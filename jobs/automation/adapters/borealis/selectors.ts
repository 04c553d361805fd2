import { actionTarget, textTarget, type PortalFilings, type PortalSignIn } from "../../portal-kit";
import { filingsSearch, signInTargets } from "../common-pages";

// Borealis Machinery's wizard as the adapter was written against it (sandbox/README.md, "Borealis
// Machinery"). No fallback selectors: replay and healing find a changed element again.
export const BOREALIS = {
  // Step 1 — Machine
  caseReference: actionTarget("field", "borealis.machine.case_reference", "case reference", "#case-reference"),
  submissionType: actionTarget("select", "borealis.machine.submission_type", "submission type", "#submission-type"),
  serialNumber: actionTarget("field", "borealis.machine.serial_number", "machine serial number", "#serial-number"),
  // Step 2 — Details
  engineHours: actionTarget("field", "borealis.details.engine_hours", "engine hours", "#engine-hours"),
  eventDate: actionTarget("field", "borealis.details.event_date", "event date", "#event-date"),
  category: actionTarget("select", "borealis.details.category", "affected system", "#system-category"),
  details: actionTarget("field", "borealis.details.details", "details", "#details", { intent: "the free-text details of the event (a textarea)" }),
  contactName: actionTarget("field", "borealis.details.contact_name", "contact name", "#contact-name"),
  contactPhone: actionTarget("field", "borealis.details.contact_phone", "contact phone", "#contact-phone"),
  // Step 3 — Documents: a file input's role is button (its "Choose file" control).
  document: actionTarget("field", "borealis.documents.file", "supporting document input", "#supporting-document", { role: "button", intent: "the supporting document (PDF) file input on the documents page" }),
  // Step 4 — Review
  declaration: actionTarget("checkbox", "borealis.review.declaration", "declaration", "#declaration"),
  next: actionTarget("button", "borealis.wizard.next", "wizard next button", 'button[name="action"][value="next"]', { intent: "the button that goes on to the next wizard step (not back)" }),
  submit: actionTarget("button", "borealis.review.submit", "wizard submit button", 'button[name="action"][value="submit"]', { intent: "the button that submits the wizard (final, cannot be undone)", reversible: false }),
  receiptNumber: textTarget("borealis.receipt.number", "receipt number", "#receipt-number"),
};

/** The wizard's progress bar marks the current step (stable under drift). */
export const CURRENT_STEP = 'ol[data-testid="wizard-steps"] li[aria-current="step"]';

/** `BOR-` and 8 digits. */
export const BOREALIS_CONFIRMATION = /^BOR-\d{8}$/;

export const BOREALIS_SIGN_IN: PortalSignIn = signInTargets("borealis");
export const BOREALIS_FILINGS: PortalFilings = filingsSearch("borealis");
