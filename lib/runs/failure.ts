import { createHash } from "node:crypto";
import type { FailureObject } from "../domain/types";
import type { ErrorClass } from "../domain/vocabulary";
import { humanize } from "../format/text";


const CLASS_SENTENCES: Record<ErrorClass, string> = {
  site_flake: "the portal was unreachable, slow or returned an error page on every attempt",
  site_popup: "a pop-up on the portal kept blocking the form",
  site_changed: "the portal's page no longer looks the way the automation expects",
  portal_rejected: "the portal refused the submitted data",
  auth: "the portal refused Nightshift's login",
  adapter_bug: "the automation for this portal hit an unexpected error",
  infra: "Nightshift's own infrastructure (browser or worker) failed on every attempt",
};

const NEXT_ACTIONS: Record<ErrorClass, string> = {
  site_flake: "Retry the run once the portal is healthy again.",
  site_popup: "Retry the run; if it repeats, engineering should teach the adapter this pop-up.",
  site_changed: "Engineering: update the adapter's selectors for the changed page, then retry.",
  portal_rejected: "Check the case data in the CRM against the portal's message, correct it, then resubmit.",
  auth: "Ops: check the portal account (password, lock-out), then resume the portal's queue.",
  adapter_bug: "Engineering: investigate the adapter error in the trace, fix, then retry.",
  infra: "Retry the run; if it repeats, engineering should check worker and browser health.",
};

export function nextActionFor(errorClass: ErrorClass): string {
  return NEXT_ACTIONS[errorClass];
}

/** A plain sentence for a person: what happened, on which portal, at which step. */
export function reasonSentence(params: { oemLabel: string; errorClass: ErrorClass; message: string; failingStep: string | null; code?: string }): string {
  const where = params.failingStep ? ` (at step "${humanStep(params.failingStep)}")` : "";
  // Our own sentences about the credentials (none stored, unreadable, a one-time code we cannot
  // answer) say what an admin must do, which the class's generic sentence cannot; they hold no secret.
  if (params.errorClass === "auth" && params.code && CREDENTIAL_CODES.has(params.code)) {
    return `Not submitted${where}: ${params.message.replace(/\s+/g, " ").trim()}`;
  }
  if (params.errorClass === "portal_rejected") {
    return `The ${params.oemLabel} portal rejected the submission${where}: “${params.message.replace(/\s+/g, " ").trim()}”`;
  }
  return `Not submitted: ${CLASS_SENTENCES[params.errorClass]}${where}.`;
}

const CREDENTIAL_CODES = new Set(["credentials_missing", "credentials_unreadable", "totp_missing", "totp_refused"]);

/** A step name inside a sentence: "open_form" → "open form". */
function humanStep(step: string): string {
  return humanize(step).toLowerCase();
}

/** Strips the parts of an error message that vary per case (numbers, ids, quoted values, URLs). */
export function normaliseErrorMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, "<url>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/["“'`][^"”'`]*["”'`]/g, "<value>")
    .replace(/\d+/g, "<n>")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

/**
 * The triage group of a failure: OEM × failing step × error code × normalised message. The class
 * is left out on purpose: a person may override it, and the failure stays in its group.
 */
export function failureFingerprint(params: { oemId: string; step: string | null; code: string; message: string }): string {
  const basis = [params.oemId, params.step ?? "-", params.code, normaliseErrorMessage(params.message)].join("|");
  return createHash("sha256").update(basis).digest("hex").slice(0, 16);
}

/** The failure object as a CRM note: readable text, no JSON (its links as the failure object has them: absolute for the CRM). */
export function failureNoteText(failure: FailureObject): string {
  const lines = [
    `Nightshift could not submit this case. ${failure.reason}`,
    `Next action: ${failure.nextAction}`,
    `Error class: ${failure.errorClass} (${failure.code}); attempts: ${failure.attempts.length}; failing step: ${failure.failingStep ?? "—"}; last good step: ${failure.lastGoodStep ?? "—"}.`,
  ];
  if (failure.screenshotUrl) lines.push(`Screenshot: ${failure.screenshotUrl}`);
  if (failure.traceUrl) lines.push(`Trace: ${failure.traceUrl}`);
  lines.push(`Fingerprint: ${failure.fingerprint}`);
  return lines.join("\n");
}

