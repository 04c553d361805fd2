/** Human labels for the case domain's machine words (kinds, CRM statuses, steps, triggers). */

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

const TRIGGER_LABELS: Record<string, string> = {
  cron: "Nightly batch",
  manual: "Run now",
  webhook: "Urgent (CRM webhook)",
};

/** "warranty_claim" → "Warranty claim"; "unitYear" → "Unit year". */
export function humanize(value: string): string {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}

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

export function batchTriggerLabel(trigger: string): string {
  return TRIGGER_LABELS[trigger] ?? humanize(trigger);
}
