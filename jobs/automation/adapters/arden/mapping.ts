import type { CaseForSubmission } from "@/lib/domain/types";
import { CaseReader } from "../case-fields";

const ARDEN_CLAIM_TYPES = ["warranty_claim", "recall_completion"] as const;
const ARDEN_CATEGORIES = ["powertrain", "electrical", "body", "chassis", "hvac", "infotainment"] as const;
/** Odometer readings are filed in whole kilometres. */
const TO_KM: Record<string, number> = { km: 1, mi: 1.609344, miles: 1.609344 };

/** The values of Arden's claim form, as the form wants them. */
export interface ArdenClaim {
  caseReference: string;
  claimType: string;
  vin: string;
  mileage: string;
  failureDate: string;
  category: string;
  description: string;
  customerName: string;
  customerEmail: string;
  confirmAccuracy: true;
}

/** Maps a case to Arden's claim form. Throws a `portal_rejected` AttemptError for unusable data. */
export function mapArdenClaim(c: CaseForSubmission): ArdenClaim {
  const read = new CaseReader(c, "Arden Motors");
  return {
    caseReference: read.reference(),
    claimType: read.kind(ARDEN_CLAIM_TYPES),
    vin: read.text("unit.id", "VIN (unit id)").toUpperCase(),
    mileage: read.usage(TO_KM, "odometer reading"),
    failureDate: read.date("incidentDate", "date of failure"),
    category: read.code(read.text("category", "component category"), ARDEN_CATEGORIES, "the component category"),
    description: read.text("description", "description of the failure"),
    customerName: read.text("contact.name", "customer name"),
    customerEmail: read.text("contact.email", "customer email"),
    confirmAccuracy: read.acknowledged("customer declaration"),
  };
}
