import { actionTarget, textTarget, type PortalFilings, type PortalSignIn } from "../../portal-kit";
import { filingsSearch, signInTargets } from "../common-pages";

// Arden Motors's elements as the adapter was written against them (sandbox/README.md, "Arden
// Motors"). No fallback selectors: when the portal changes, replay and healing find the element
// again (jobs/automation/healing/), and a person approves the heal before anything is filed.
export const ARDEN = {
  caseReference: actionTarget("field", "arden.claim.case_reference", "case reference", "#case-reference"),
  claimType: actionTarget("select", "arden.claim.claim_type", "claim type", "#claim-type"),
  vin: actionTarget("field", "arden.claim.vin", "VIN", "#vin", { intent: "the VIN (vehicle identification number) field of the warranty claim form" }),
  mileage: actionTarget("field", "arden.claim.mileage", "odometer", "#mileage", { intent: "the odometer reading (km) field of the warranty claim form" }),
  failureDate: actionTarget("field", "arden.claim.failure_date", "date of failure", "#failure-date"),
  category: actionTarget("select", "arden.claim.category", "component category", "#component-category"),
  description: actionTarget("field", "arden.claim.description", "description of failure", "#description", { intent: "the free-text description of the failure (a textarea) on the warranty claim form" }),
  customerName: actionTarget("field", "arden.claim.customer_name", "customer name", "#customer-name"),
  customerEmail: actionTarget("field", "arden.claim.customer_email", "customer email", "#customer-email"),
  confirmAccuracy: actionTarget("checkbox", "arden.claim.confirm_accuracy", "accuracy confirmation", "#confirm-accuracy", { intent: "the checkbox confirming the claim is accurate and complete" }),
  submit: actionTarget("button", "arden.claim.submit", "submit claim button", "#submit-claim", { intent: "the button that submits the warranty claim (final, cannot be undone)", reversible: false }),
  confirmationNumber: textTarget("arden.confirmation.number", "confirmation number", "#confirmation-number"),
};

/** `ARD-` and 6 of [A-HJ-NP-Z2-9]. */
export const ARDEN_CONFIRMATION = /^ARD-[A-HJ-NP-Z2-9]{6}$/;

export const ARDEN_SIGN_IN: PortalSignIn = signInTargets("arden");

/** The filings search (sandbox/README.md, "Filings search"). */
export const ARDEN_FILINGS: PortalFilings = filingsSearch("arden");
