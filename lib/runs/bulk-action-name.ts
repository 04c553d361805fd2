/**
 * The name of a bulk action in words, made from what was selected when the person gave none:
 * "Retry 12 Arden site-changed runs", "Cancel 3 queued Borealis runs". Pure (the confirm dialog
 * shows it as the name field's placeholder; the server stores it).
 */
import type { ErrorClass, RunStatus } from "../domain/vocabulary";
import { formatCount } from "../format/number";

export const BULK_ACTIONS = ["retry", "cancel"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const VERB: Record<BulkAction, string> = { retry: "Retry", cancel: "Cancel" };

/** An error class as an adjective before "runs". */
const CLASS_ADJECTIVE: Record<ErrorClass, string> = {
  site_flake: "site-flake",
  site_popup: "pop-up",
  site_changed: "site-changed",
  portal_rejected: "portal-rejected",
  auth: "credentials",
  adapter_bug: "adapter-bug",
  infra: "infrastructure",
};

/** A status as an adjective before "runs" (only the ones a bulk action names). */
const STATUS_ADJECTIVE: Partial<Record<RunStatus, string>> = {
  queued: "queued",
  retry_scheduled: "retry-scheduled",
  needs_review: "needs-review",
  parked: "parked",
  failed: "failed",
};

export interface BulkActionNameInput {
  action: BulkAction;
  /** Runs selected. */
  count: number;
  /** The selected runs' OEM labels ("Arden Motors"), one per run or distinct. */
  oemLabels: readonly string[];
  errorClasses: readonly (ErrorClass | null)[];
  statuses: readonly RunStatus[];
}

/** The one value every item has, or null when they differ (or there are none). */
function common<T>(values: readonly T[]): T | null {
  const distinct = new Set(values);
  return distinct.size === 1 ? values[0]! : null;
}

/** "Arden Motors" → "Arden": the short name people use. */
function shortOemName(label: string): string {
  return label.trim().split(/\s+/)[0] ?? label;
}

export function bulkActionName(input: BulkActionNameInput): string {
  const oem = common(input.oemLabels);
  const words: string[] = [VERB[input.action], formatCount(input.count)];
  if (input.action === "cancel") {
    const status = common(input.statuses);
    const adjective = status ? STATUS_ADJECTIVE[status] : undefined;
    if (adjective) words.push(adjective);
    if (oem) words.push(shortOemName(oem));
  } else {
    if (oem) words.push(shortOemName(oem));
    // Runs without a class (never failed) do not decide the name: they are the ones skipped.
    const errorClass = common(input.errorClasses.filter((c): c is ErrorClass => c !== null));
    if (errorClass && Object.hasOwn(CLASS_ADJECTIVE, errorClass)) words.push(CLASS_ADJECTIVE[errorClass]);
  }
  words.push(input.count === 1 ? "run" : "runs");
  return words.join(" ");
}
