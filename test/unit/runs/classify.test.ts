import { describe, expect, it } from "vitest";
import { classifyError } from "@/lib/runs/classify";
import { PopupBlockedError, PortalAuthError, PortalRejectedError, PortalUnavailableError, SelectorMissingError } from "@/lib/runs/errors";
import { routeFor, terminalStatusFor } from "@/lib/runs/taxonomy";

function playwrightTimeout(message: string) {
  const error = new Error(message);
  error.name = "TimeoutError";
  return error;
}

describe("error classification", () => {
  it.each([
    [new PortalRejectedError("VIN is not valid", "vin"), "portal_rejected", "field_invalid"],
    [new PortalRejectedError("Duplicate submission suspected — rejected"), "portal_rejected", "data_rejected"],
    [new PortalAuthError("Invalid username or password"), "auth", "login_refused"],
    [new PortalUnavailableError(503), "site_flake", "http_503"],
    [new PortalUnavailableError(502), "site_flake", "http_502"],
    [new SelectorMissingError("#vin"), "site_changed", "selector_missing"],
    [new PopupBlockedError("survey"), "site_popup", "popup_blocking"],
  ])("keeps the class of a typed adapter error (%s)", (error, errorClass, code) => {
    expect(classifyError(error)).toMatchObject({ errorClass, code });
  });

  it("recognises Playwright navigation and element timeouts as site flakes", () => {
    expect(classifyError(playwrightTimeout('page.goto: Timeout 20000ms exceeded.\nCall log:\n  - navigating to "http://x/login"'))).toMatchObject({ errorClass: "site_flake", code: "nav_timeout" });
    expect(classifyError(playwrightTimeout("locator.click: Timeout 10000ms exceeded.\nCall log:\n  - waiting for locator('#submit')"))).toMatchObject({ errorClass: "site_flake", code: "element_timeout" });
  });

  it("calls an aborted navigation an aborted navigation, not a worker shutdown", () => {
    expect(classifyError(new Error('page.goto: net::ERR_ABORTED at http://portal/claims/new\nCall log:\n  - navigating to "http://portal/claims/new"'))).toMatchObject({ errorClass: "infra", code: "navigation_aborted" });
    expect(classifyError(new Error("The operation was aborted."))).toMatchObject({ errorClass: "infra", code: "interrupted" });
  });

  it("recognises network failures and resets as site flakes", () => {
    expect(classifyError(new Error("page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:4010/portals/arden/login"))).toMatchObject({ errorClass: "site_flake", code: "net_connection_refused" });
    expect(classifyError(new Error("read ECONNRESET"))).toMatchObject({ errorClass: "site_flake", code: "connection_reset" });
  });

  it("recognises a detached element as a flake and a covered element as a pop-up", () => {
    expect(classifyError(new Error("locator.click: Element is not attached to the DOM"))).toMatchObject({ errorClass: "site_flake", code: "element_detached" });
    expect(classifyError(new Error("locator.click: <div class=\"overlay\"> intercepts pointer events"))).toMatchObject({ errorClass: "site_popup", code: "click_intercepted" });
  });

  it("blames our infrastructure when the browser dies or cannot start", () => {
    expect(classifyError(new Error("browserType.launch: Executable doesn't exist at /usr/bin/chromium"))).toMatchObject({ errorClass: "infra", code: "browser_launch_failed" });
    expect(classifyError(new Error("page.fill: Target page, context or browser has been closed"))).toMatchObject({ errorClass: "infra", code: "browser_crashed" });
  });

  it("blames our infrastructure, not the portal, when the remote browser cannot be reached", () => {
    const refused = Object.assign(new Error("browserType.connect: WebSocket error: connect ECONNREFUSED 10.0.0.7:3000"), { code: "ECONNREFUSED" });
    expect(classifyError(refused)).toMatchObject({ errorClass: "infra", code: "browser_unreachable" });
    expect(classifyError(new Error("browserType.connectOverCDP: Timeout 30000ms exceeded."))).toMatchObject({ errorClass: "infra", code: "browser_unreachable" });
  });

  it("blames our database, not the adapter, when a query fails during a restart (the soak's one unclassified failure)", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:44115"), { code: "ECONNREFUSED" });
    const drizzle = new Error('Failed query: update "runs" set "submit_clicked_at" = now() where "runs"."id" = $1', { cause: refused });
    expect(classifyError(drizzle)).toMatchObject({ errorClass: "infra", code: "database_unavailable" });
    const shuttingDown = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    expect(classifyError(new Error("Failed query: select 1", { cause: shuttingDown }))).toMatchObject({ errorClass: "infra", code: "database_unavailable" });
  });

  it("retries when the CRM fails mid-attempt, and sends a missing document to a person", async () => {
    const { CrmError } = await import("@/lib/crm/connector");
    expect(classifyError(new CrmError("The CRM answered 500 to GET /cases/CRM-1/attachment.pdf", 500, true))).toMatchObject({ errorClass: "infra", code: "crm_unavailable" });
    expect(classifyError(new CrmError("The CRM answered 404 to GET /cases/CRM-1/attachment.pdf", 404, false))).toMatchObject({ errorClass: "portal_rejected", code: "crm_document_missing" });
  });

  it("calls anything else thrown by adapter code an adapter bug, with a readable message", () => {
    const result = classifyError(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(result.errorClass).toBe("adapter_bug");
    expect(result.message).toBe("Unexpected error in the adapter: Cannot read properties of undefined (reading 'id')");
    expect(classifyError("a string was thrown").errorClass).toBe("adapter_bug");
  });

  it("routes each class as the design says", () => {
    expect(routeFor("site_flake")).toBe("retry");
    expect(routeFor("infra")).toBe("retry");
    expect(routeFor("site_popup")).toBe("retry");
    expect(routeFor("site_changed")).toBe("park");
    expect(routeFor("adapter_bug")).toBe("park");
    expect(routeFor("portal_rejected")).toBe("needs_review");
    expect(routeFor("auth")).toBe("pause_portal");
    expect(terminalStatusFor("portal_rejected")).toBe("needs_review");
    expect(terminalStatusFor("site_changed")).toBe("parked");
    expect(terminalStatusFor("site_flake")).toBe("failed");
  });
});
