/** Human labels for the case domain's machine words (kinds, CRM statuses, steps). */
import { humanize } from "@/lib/format/text";

const KIND_LABELS: Record<string, string> = {
  warranty_claim: "Warranty claim",
  recall_completion: "Recall completion",
  emissions_report: "Emissions report",
  safety_incident: "Safety incident",
};

const CRM_STATUS_LABELS: Record<string, string> = {
  new: "New",
  queued: "Queued",
  in_progress: "In progress",
  submitted: "Submitted",
  needs_review: "Needs review",
  failed: "Failed",
  cancelled: "Cancelled",
  open: "Open",
};

export function caseKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? humanize(kind);
}

export function crmStatusLabel(status: string): string {
  return CRM_STATUS_LABELS[status] ?? humanize(status);
}

/** A step name as a person reads it: "capture_confirmation" → "Capture confirmation". */
export function stepLabel(step: string): string {
  return humanize(step);
}
