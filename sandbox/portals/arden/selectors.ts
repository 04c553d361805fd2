// Arden Motors claim form: field ids/names/labels per DOM drift version (see sandbox/README.md).

import { control, field } from "../fields.js";

export const ARDEN_FIELDS = {
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["ns-reference", "nsReference", "Reference number"]),
  claimType: field("claimType", ["claim-type", "claimType", "Claim type"], ["submission-kind", "submissionKind", "Submission type"]),
  vin: field("vin", ["vin", "vin", "VIN"], ["vehicle-id", "vehicleId", "Vehicle identification number"]),
  mileage: field("mileage", ["mileage", "mileage", "Odometer (km)"], ["odometer", "odometer", "Odometer reading (km)"]),
  failureDate: field("failureDate", ["failure-date", "failureDate", "Date of failure"], ["event-date", "eventDate", "Failure date"]),
  category: field("category", ["component-category", "componentCategory", "Component category"], ["component-group", "componentGroup", "Component group"]),
  description: field("description", ["description", "description", "Description of failure"], ["failure-narrative", "failureNarrative", "Failure narrative"]),
  customerName: field("customerName", ["customer-name", "customerName", "Customer name"], ["owner-name", "ownerName", "Owner name"]),
  customerEmail: field("customerEmail", ["customer-email", "customerEmail", "Customer email"], ["owner-email", "ownerEmail", "Owner email"]),
  confirmAccuracy: field(
    "confirmAccuracy",
    ["confirm-accuracy", "confirmAccuracy", "I confirm this claim is accurate and complete"],
    ["attest", "attest", "I attest that the information above is correct"],
  ),
};

export const ARDEN_CONTROLS = {
  form: control(["claim-form", ""], ["warranty-form", ""]),
  submit: control(["submit-claim", "Submit claim"], ["send-claim", "Send claim"]),
  newClaim: control(["nav-new-claim", "New claim"], ["nav-file-claim", "File a claim"]),
  confirmation: control(["confirmation-number", ""], ["claim-receipt-number", ""]),
};
