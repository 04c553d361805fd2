import { target, type PortalFilings, type PortalSignIn } from "../../portal-kit";

// Primary ids first, then the DOM-drift-1 ids (sandbox/README.md, "Corvid Instruments").
export const CORVID = {
  noResults: target("instrument search: no results", '[data-testid="no-results"]', '[data-testid="asset-none"]'),
  caseReference: target("case reference", "#case-reference", "#external-reference"),
  reportType: target("report type", "#report-type", "#report-class"),
  eventDate: target("event date", "#event-date", "#date-of-event"),
  category: target("report category", "#hazard-category", "#issue-type"),
  cycleCount: target("cycle count", "#cycle-count", "#usage-cycles"),
  summary: target("summary", "#summary", "#event-summary"),
  reporterEmail: target("reporter email", "#reporter-email", "#contact-email"),
  review: target("review & submit button", "#review-report", "#prepare-report"),
  confirmDialog: target("confirmation dialog", "#confirm-dialog", "#submit-dialog"),
  confirm: target("confirm & submit button", "#confirm-submit", "#dialog-confirm"),
  confirmationNumber: target("confirmation number", "#confirmation-number", "#report-number"),
};

/** Result rows carry the instrument id in `data-unit-id` under every DOM version. */
export const UNIT_ROW = "tr[data-unit-id]";
export const UNIT_NOT_FOUND = '[data-testid="unit-not-found"]';

/** `CVD-`, 4 letters, `-`, 4 digits. */
export const CORVID_CONFIRMATION = /^CVD-[A-Z]{4}-\d{4}$/;

/** Sign-in: v0 ids first, then the DOM-drift-1 ids (sandbox/README.md, "Login page"). */
export const CORVID_SIGN_IN: PortalSignIn = {
  path: "/login",
  signOutPath: "/logout",
  username: target("login username", "#username", "#user-id"),
  password: target("login password", "#password", "#passcode"),
  submit: target("login button", "#login-submit", "#signin-button"),
  error: target("login error", "#login-error", "#signin-error"),
  signedIn: '[data-testid="signed-in-user"]',
};

/** The filings search (sandbox/README.md, "Filings search"). */
export const CORVID_FILINGS: PortalFilings = {
  // A GET form: the URL and its `reference` parameter are stable under DOM drift.
  searchPath: (reference) => `/filings?reference=${encodeURIComponent(reference)}`,
  // Rows carry these attributes under every DOM version.
  row: "tr[data-confirmation-number]",
  referenceAttribute: "data-reference",
  confirmationAttribute: "data-confirmation-number",
  empty: target("filings empty message", '[data-testid="filings-empty"]', '[data-testid="history-empty"]'),
};
