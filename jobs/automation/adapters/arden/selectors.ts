import { target } from "../../portal-kit";

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
