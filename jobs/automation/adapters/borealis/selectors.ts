import { target, type PortalFilings, type PortalSignIn } from "../../portal-kit";

// Primary ids first, then the DOM-drift-1 ids (sandbox/README.md, "Borealis Machinery").
export const BOREALIS = {
  // Step 1 — Machine
  caseReference: target("case reference", "#case-reference", "#dealer-reference"),
  submissionType: target("submission type", "#submission-type", "#filing-category"),
  serialNumber: target("machine serial number", "#serial-number", "#machine-serial"),
  // Step 2 — Details
  engineHours: target("engine hours", "#engine-hours", "#hour-meter"),
  eventDate: target("event date", "#event-date", "#occurrence-date"),
  category: target("affected system", "#system-category", "#system-group"),
  details: target("details", "#details", "#narrative"),
  contactName: target("contact name", "#contact-name", "#contact-person"),
  contactPhone: target("contact phone", "#contact-phone", "#contact-number"),
  // Step 3 — Documents
  document: target("supporting document input", "#supporting-document", "#evidence-file"),
  // Step 4 — Review
  declaration: target("declaration", "#declaration", "#dealer-declaration"),
  // The wizard's buttons keep name="action" and their values under every DOM version.
  next: target("wizard next button", 'button[name="action"][value="next"]'),
  submit: target("wizard submit button", 'button[name="action"][value="submit"]'),
  receiptNumber: target("receipt number", "#receipt-number", "#submission-receipt-id"),
};

/** The wizard's progress bar marks the current step (stable under drift). */
export const CURRENT_STEP = 'ol[data-testid="wizard-steps"] li[aria-current="step"]';

/** `BOR-` and 8 digits. */
export const BOREALIS_CONFIRMATION = /^BOR-\d{8}$/;

/** Sign-in: v0 ids first, then the DOM-drift-1 ids (sandbox/README.md, "Login page"). */
export const BOREALIS_SIGN_IN: PortalSignIn = {
  path: "/login",
  signOutPath: "/logout",
  username: target("login username", "#username", "#user-id"),
  password: target("login password", "#password", "#passcode"),
  submit: target("login button", "#login-submit", "#signin-button"),
  error: target("login error", "#login-error", "#signin-error"),
  signedIn: '[data-testid="signed-in-user"]',
};

/** The filings search (sandbox/README.md, "Filings search"). */
export const BOREALIS_FILINGS: PortalFilings = {
  // A GET form: the URL and its `reference` parameter are stable under DOM drift.
  searchPath: (reference) => `/filings?reference=${encodeURIComponent(reference)}`,
  // Rows carry these attributes under every DOM version.
  row: "tr[data-confirmation-number]",
  referenceAttribute: "data-reference",
  confirmationAttribute: "data-confirmation-number",
  empty: target("filings empty message", '[data-testid="filings-empty"]', '[data-testid="history-empty"]'),
};
