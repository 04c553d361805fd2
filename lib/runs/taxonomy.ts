import { ERROR_CLASSES, isOneOf, type ErrorClass, type TerminalFailStatus } from "../domain/vocabulary";
/**
 * The error taxonomy's routes: every failed attempt gets exactly one class (`ERROR_CLASSES` in
 * lib/domain/vocabulary.ts); the class decides the route. See DESIGN.md "Error taxonomy and routing".
 */

/** What happens after a failed attempt of a class. */
export type Route =
  /** Try again after a backoff (while attempts remain). */
  | "retry"
  /** No retry: the CRM case goes to a person ("needs review") with the portal's message. */
  | "needs_review"
  /** No blind retry: parked for engineering triage. */
  | "park"
  /** No retry: pause the OEM's queue and alert ops. */
  | "pause_portal";

const ROUTE_BY_CLASS: Record<ErrorClass, Route> = {
  site_flake: "retry",
  site_popup: "retry", // known pop-ups are dismissed inside the attempt; one that still blocks is retried
  site_changed: "park",
  portal_rejected: "needs_review",
  auth: "pause_portal",
  adapter_bug: "park",
  infra: "retry",
};

export function routeFor(errorClass: ErrorClass): Route {
  return ROUTE_BY_CLASS[errorClass];
}

/** The run status a terminal fail of this class ends in. */
export function terminalStatusFor(errorClass: ErrorClass): TerminalFailStatus {
  switch (routeFor(errorClass)) {
    case "needs_review":
      return "needs_review";
    case "park":
      return "parked";
    case "retry":
    case "pause_portal":
      return "failed";
  }
}

export function isErrorClass(value: unknown): value is ErrorClass {
  return isOneOf(ERROR_CLASSES, value);
}
