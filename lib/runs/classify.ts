import { CrmError } from "../crm/connector";
import { isTransientDatabaseError } from "../db/retry";
import { AttemptError } from "./errors";
import type { ErrorClass } from "../domain/vocabulary";

export interface Classification {
  errorClass: ErrorClass;
  /** Short, stable code, e.g. nav_timeout, http_503, selector_missing, field_invalid. */
  code: string;
  message: string;
}

/**
 * Classifies a failed attempt's error. Typed adapter errors carry their class; Playwright and
 * network errors are recognised by name and message; anything else thrown by adapter code is an
 * adapter bug. Pure: works on the error's shape, so lib/ never imports Playwright.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof AttemptError) return { errorClass: error.errorClass, code: error.code, message: error.message };
  // The CRM failed while the attempt needed it (e.g. the supporting PDF for an upload).
  if (error instanceof CrmError) {
    return error.retryable
      ? { errorClass: "infra", code: "crm_unavailable", message: "The CRM was unavailable when the attempt needed the case's documents." }
      : { errorClass: "portal_rejected", code: "crm_document_missing", message: `The CRM could not provide what the portal needs: ${error.message}` };
  }
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const text = message.toLowerCase();

  // Browser or process trouble: ours, not the portal's.
  if (/browsertype\.connect(overcdp)?\b/.test(text)) {
    return { errorClass: "infra", code: "browser_unreachable", message: "The remote browser (BROWSER_WS_ENDPOINT) could not be reached." };
  }
  if (/browsertype\.launch|failed to launch|executable doesn't exist/.test(text)) {
    return { errorClass: "infra", code: "browser_launch_failed", message: "The browser could not be started on the worker." };
  }
  if (/target (page, context or browser|closed)|browser has been closed|browser closed|crashed|page crashed|browser has disconnected/.test(text)) {
    return { errorClass: "infra", code: "browser_crashed", message: "The browser closed or crashed during the attempt." };
  }
  // Our own database went away under the adapter (e.g. recording "submit clicked" during a restart):
  // drizzle's message names only the query; the driver's code sits on the cause.
  if (isTransientDatabaseError(error) || (/econnrefused.*(5432|postgres)|database|connection terminated|57p0\d/.test(text) && !/net::/.test(text))) {
    return { errorClass: "infra", code: "database_unavailable", message: "The database was unavailable during the attempt." };
  }
  if (/aborted|interrupted|shutting down/.test(text) && name !== "TimeoutError" && !/net::err_/.test(text)) {
    return { errorClass: "infra", code: "interrupted", message: "The attempt was interrupted (worker shutting down)." };
  }

  // Network-level failures reaching the portal.
  const net = /net::(err_[a-z_]+)/i.exec(message);
  if (net?.[1]) {
    const code = net[1].toLowerCase();
    if (code === "err_aborted") return { errorClass: "infra", code: "navigation_aborted", message: "Navigation was aborted." };
    return { errorClass: "site_flake", code: code.replace(/^err_/, "net_"), message: `The portal could not be reached (${net[1]}).` };
  }
  if (/econnreset|socket hang up|econnrefused|etimedout|epipe/.test(text)) {
    return { errorClass: "site_flake", code: "connection_reset", message: "The connection to the portal was reset." };
  }

  // Playwright timeouts: navigation vs. waiting for an element.
  if (name === "TimeoutError" || /timeout \d+ms exceeded/.test(text)) {
    if (/page\.goto|navigat|waiting for (navigation|url|load)/.test(text)) {
      return { errorClass: "site_flake", code: "nav_timeout", message: "The portal did not load in time." };
    }
    if (/waiting for (locator|selector|getby)/.test(text)) {
      return { errorClass: "site_flake", code: "element_timeout", message: "The portal was too slow to show an expected element." };
    }
    return { errorClass: "site_flake", code: "timeout", message: "The portal did not respond in time." };
  }
  if (/element is not attached|detached from the dom|element was detached|execution context was destroyed/.test(text)) {
    return { errorClass: "site_flake", code: "element_detached", message: "The page changed while it was being filled (element detached)." };
  }
  if (/intercepts pointer events|element is outside of the viewport/.test(text)) {
    return { errorClass: "site_popup", code: "click_intercepted", message: "Something on the page covered the element the automation had to click." };
  }
  if (/strict mode violation/.test(text)) {
    return { errorClass: "site_changed", code: "ambiguous_selector", message: "A selector matched more than one element: the portal changed." };
  }

  return { errorClass: "adapter_bug", code: "unhandled_exception", message: `Unexpected error in the adapter: ${firstLine(message)}` };
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}
