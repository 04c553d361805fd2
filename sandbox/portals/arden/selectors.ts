// Arden Motors claim form: field ids/names/labels per DOM drift version (see sandbox/README.md).
// Drift 2 is Arden's move to a Rails-style form: `claim[...]` names, `claim_...` ids.

import { control, field } from "../fields.js";

export const ARDEN_FIELDS = {
  caseReference: field("caseReference", ["case-reference", "caseReference", "Case reference"], ["ns-reference", "nsReference", "Reference number"], ["claim_case_ref", "claim[case_ref]", "Case reference"]),
  claimType: field("claimType", ["claim-type", "claimType", "Claim type"], ["submission-kind", "submissionKind", "Submission type"], ["claim_type_code", "claim[type_code]", "Type of claim"]),
  vin: field("vin", ["vin", "vin", "VIN"], ["vehicle-id", "vehicleId", "Vehicle identification number"], ["claim_vehicle_vin", "claim[vehicle_vin]", "VIN"]),
  mileage: field("mileage", ["mileage", "mileage", "Odometer (km)"], ["odometer", "odometer", "Odometer reading (km)"], ["claim_odometer_km", "claim[odometer_km]", "Distance travelled (km)"]),
  failureDate: field("failureDate", ["failure-date", "failureDate", "Date of failure"], ["event-date", "eventDate", "Failure date"], ["claim_failed_on", "claim[failed_on]", "Date of failure"]),
  category: field("category", ["component-category", "componentCategory", "Component category"], ["component-group", "componentGroup", "Component group"], ["claim_component", "claim[component]", "Affected component"]),
  description: field("description", ["description", "description", "Description of failure"], ["failure-narrative", "failureNarrative", "Failure narrative"], ["claim_failure_details", "claim[failure_details]", "Description of failure"]),
  customerName: field("customerName", ["customer-name", "customerName", "Customer name"], ["owner-name", "ownerName", "Owner name"], ["claim_customer_full_name", "claim[customer_full_name]", "Customer name"]),
  customerEmail: field("customerEmail", ["customer-email", "customerEmail", "Customer email"], ["owner-email", "ownerEmail", "Owner email"], ["claim_customer_contact_email", "claim[customer_contact_email]", "Customer email"]),
  confirmAccuracy: field(
    "confirmAccuracy",
    ["confirm-accuracy", "confirmAccuracy", "I confirm this claim is accurate and complete"],
    ["attest", "attest", "I attest that the information above is correct"],
    ["claim_accuracy_confirmed", "claim[accuracy_confirmed]", "I confirm this claim is accurate and complete"],
  ),
};

export const ARDEN_CONTROLS = {
  form: control(["claim-form", ""], ["warranty-form", ""], ["new_claim", ""]),
  submit: control(["submit-claim", "Submit claim"], ["send-claim", "Send claim"], ["claim_file_button", "File claim"]),
  newClaim: control(["nav-new-claim", "New claim"], ["nav-file-claim", "File a claim"], ["nav-start-claim", "Start a claim"]),
  confirmation: control(["confirmation-number", ""], ["claim-receipt-number", ""], ["claim_confirmation_code", ""]),
  /** The success notice and the reference cell on the claim page. */
  submitted: control(["claim-submitted", ""], ["claim-submitted", ""], ["claim_success_notice", ""]),
  reference: control(["claim-reference", ""], ["claim-reference", ""], ["claim_summary_case_ref", ""]),
};
