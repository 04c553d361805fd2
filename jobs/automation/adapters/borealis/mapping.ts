import type { CaseForSubmission } from "@/lib/domain/types";
import { CaseReader } from "../case-fields";

const BOREALIS_SUBMISSION_TYPES = ["emissions_report", "warranty_claim"] as const;
const BOREALIS_SYSTEMS = ["engine", "hydraulics", "exhaust_aftertreatment", "drivetrain", "electrical", "cab"] as const;
/** Engine hours are filed as whole hours. */
const TO_HOURS: Record<string, number> = { hours: 1, hour: 1, h: 1, hrs: 1 };

/** The values of Borealis' wizard, step by step (the document is loaded from the CRM at run time). */
export interface BorealisSubmission {
  machine: { caseReference: string; submissionType: string; serialNumber: string };
  details: { engineHours: string; eventDate: string; category: string; details: string; contactName: string; contactPhone: string };
  declaration: true;
}

/** Maps a case to Borealis' wizard. Throws a `portal_rejected` AttemptError for unusable data. */
export function mapBorealisSubmission(c: CaseForSubmission): BorealisSubmission {
  const read = new CaseReader(c, "Borealis Machinery");
  return {
    machine: {
      caseReference: read.reference(),
      submissionType: read.kind(BOREALIS_SUBMISSION_TYPES),
      serialNumber: read.text("unit.id", "machine serial number (unit id)").toUpperCase(),
    },
    details: {
      engineHours: read.usage(TO_HOURS, "engine hours"),
      eventDate: read.date("incidentDate", "event date"),
      category: read.code(read.text("category", "affected system (category)"), BOREALIS_SYSTEMS, "the affected system"),
      details: read.text("description", "details (description)"),
      contactName: read.text("contact.name", "contact name"),
      contactPhone: read.text("contact.phone", "contact phone"),
    },
    declaration: read.acknowledged("dealer declaration"),
  };
}
