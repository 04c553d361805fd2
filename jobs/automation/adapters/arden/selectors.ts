import { target, type PortalFilings, type PortalSignIn } from "../../portal-kit";

// Primary ids first, then the DOM-drift-1 ids (sandbox/README.md, "Arden Motors").
export const ARDEN = {
  caseReference: target("case reference", "#case-reference", "#ns-reference"),
  claimType: target("claim type", "#claim-type", "#submission-kind"),
  vin: target("VIN", "#vin", "#vehicle-id"),
  mileage: target("odometer", "#mileage", "#odometer"),
  failureDate: target("date of failure", "#failure-date", "#event-date"),
  category: target("component category", "#component-category", "#component-group"),
  description: target("description of failure", "#description", "#failure-narrative"),
  customerName: target("customer name", "#customer-name", "#owner-name"),
  customerEmail: target("customer email", "#customer-email", "#owner-email"),
  confirmAccuracy: target("accuracy confirmation", "#confirm-accuracy", "#attest"),
  submit: target("submit claim button", "#submit-claim", "#send-claim"),
  confirmationNumber: target("confirmation number", "#confirmation-number", "#claim-receipt-number"),
};

/** `ARD-` and 6 of [A-HJ-NP-Z2-9]. */
export const ARDEN_CONFIRMATION = /^ARD-[A-HJ-NP-Z2-9]{6}$/;

/** Sign-in: v0 ids first, then the DOM-drift-1 ids (sandbox/README.md, "Login page"). */
export const ARDEN_SIGN_IN: PortalSignIn = {
  path: "/login",
  signOutPath: "/logout",
  username: target("login username", "#username", "#user-id"),
  password: target("login password", "#password", "#passcode"),
  submit: target("login button", "#login-submit", "#signin-button"),
  error: target("login error", "#login-error", "#signin-error"),
  signedIn: '[data-testid="signed-in-user"]',
};

/** The filings search (sandbox/README.md, "Filings search"). */
export const ARDEN_FILINGS: PortalFilings = {
  // A GET form: the URL and its `reference` parameter are stable under DOM drift.
  searchPath: (reference) => `/filings?reference=${encodeURIComponent(reference)}`,
  // Rows carry these attributes under every DOM version.
  row: "tr[data-confirmation-number]",
  referenceAttribute: "data-reference",
  confirmationAttribute: "data-confirmation-number",
  empty: target("filings empty message", '[data-testid="filings-empty"]', '[data-testid="history-empty"]'),
};
