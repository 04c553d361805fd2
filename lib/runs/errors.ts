import type { ErrorClass } from "../domain/vocabulary";
import type { SiteChangeDiff } from "../healing/records";

/**
 * Typed errors adapters throw for what they know. Anything else that escapes adapter code is
 * classified from its shape (Playwright timeouts, HTTP statuses) or, failing that, as an
 * adapter bug.
 */
export class AttemptError extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AttemptError";
  }
}

/** The portal refused the data (invalid field, duplicate). Its message goes to a person. */
export class PortalRejectedError extends AttemptError {
  constructor(portalMessage: string, readonly field?: string) {
    super("portal_rejected", field ? "field_invalid" : "data_rejected", portalMessage);
    this.name = "PortalRejectedError";
  }
}

/** The portal refused our credentials or the account is locked. */
export class PortalAuthError extends AttemptError {
  constructor(portalMessage: string, code: "login_refused" | "account_locked" | "totp_missing" | "totp_refused" = "login_refused") {
    super("auth", code, portalMessage);
    this.name = "PortalAuthError";
  }
}

/** The portal answered with an error page (5xx, maintenance). */
export class PortalUnavailableError extends AttemptError {
  constructor(readonly status: number, message = `The portal answered HTTP ${status}.`) {
    super("site_flake", status === 503 ? "http_503" : `http_${status}`, message);
    this.name = "PortalUnavailableError";
  }
}

/** An element the adapter needs is missing (after healing): the portal changed. */
export class SelectorMissingError extends AttemptError {
  constructor(readonly selector: string, message = `Expected element not found: ${selector}`) {
    super("site_changed", "selector_missing", message);
    this.name = "SelectorMissingError";
  }
}

/** A pop-up blocked the page and could not be dismissed. */
export class PopupBlockedError extends AttemptError {
  constructor(readonly popup: string) {
    super("site_popup", "popup_blocking", `An unexpected pop-up (${popup}) blocked the page.`);
    this.name = "PopupBlockedError";
  }
}

/**
 * Replay found the target nowhere it may look (cached, primary, healed by rule or model): the
 * portal changed. Carries the diff against the last good run for the failure card.
 */
export class TargetMissError extends SelectorMissingError {
  constructor(
    readonly targetId: string,
    message: string,
    readonly siteChange: SiteChangeDiff,
  ) {
    super(targetId, message);
    this.name = "TargetMissError";
  }
}

/**
 * Not a failure: the form was filled using a heal nobody has approved yet, so the run stops before
 * the final submit and waits for a person (run status awaiting_approval).
 */
export class AwaitingApprovalError extends Error {
  constructor(readonly healId: string) {
    super("Held before the final submit: a portal change found while filling waits for approval.");
    this.name = "AwaitingApprovalError";
  }
}
