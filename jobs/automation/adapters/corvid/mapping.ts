import type { CaseForSubmission } from "@/lib/domain/types";
import { CaseReader } from "../case-fields";

const CORVID_REPORT_TYPES = ["safety_incident", "recall_completion"] as const;
const CORVID_CATEGORIES = ["electrical_hazard", "mechanical_failure", "software_fault", "calibration_drift", "labeling", "other"] as const;
/** Usage is filed as a whole number of cycles. */
const TO_CYCLES: Record<string, number> = { cycles: 1, cycle: 1 };

/** The instrument to search for and the values of Corvid's report form. */
export interface CorvidReport {
  instrumentId: string;
  caseReference: string;
  reportType: string;
  eventDate: string;
  category: string;
  cycleCount: string;
  summary: string;
  reporterEmail: string;
}

/** Maps a case to Corvid's instrument search and report form. Throws a `portal_rejected` AttemptError for unusable data. */
export function mapCorvidReport(c: CaseForSubmission): CorvidReport {
  const read = new CaseReader(c, "Corvid Instruments");
  return {
    // Corvid matches ids without whitespace, case-insensitively.
    instrumentId: read.text("unit.id", "instrument id (unit id)").replace(/\s+/g, "").toUpperCase(),
    caseReference: read.reference(),
    reportType: read.kind(CORVID_REPORT_TYPES),
    eventDate: read.date("incidentDate", "event date"),
    category: read.code(read.text("category", "report category"), CORVID_CATEGORIES, "the report category"),
    cycleCount: read.usage(TO_CYCLES, "cycle count"),
    summary: read.text("description", "summary (description)"),
    reporterEmail: read.text("contact.email", "reporter email"),
  };
}
