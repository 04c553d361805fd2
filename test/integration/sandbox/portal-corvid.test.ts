import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { byTestId, crm, PortalClient, startTestSandbox, UNITS, yesterday } from "./helpers.js";

const REPORT = {
  caseReference: "NS-2026-00633",
  reportType: "safety_incident",
  eventDate: "",
  hazardCategory: "mechanical_failure",
  cycleCount: "18250",
  summary: "Lid interlock released while rotor still spinning; no injury.",
  reporterEmail: "qa@northfield.example.com",
};

describe("Corvid Instruments portal (search first, modal confirm)", () => {
  let sandbox: Sandbox;
  let client: PortalClient;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // Creating a CRM case registers its instrument with Corvid.
    await crm(sandbox, "POST", "/cases", { body: { oem: "corvid", kind: "safety_incident", unitId: UNITS.corvid, unitModel: "Corvid Centra X Centrifuge" } });
    client = new PortalClient(sandbox.url);
    await client.login("corvid");
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("finds the instrument by its ID and links to it from the results table", async () => {
    const page = await client.get(`/portals/corvid/units?q=${UNITS.corvid.toLowerCase()}`);
    expect(page.html).toContain('data-testid="unit-results"');
    expect(page.html).toContain(`data-testid="unit-row" data-unit-id="${UNITS.corvid}"`);
    expect(page.html).toContain(`href="/portals/corvid/units/${UNITS.corvid}" data-testid="open-unit">Open</a>`);
  });

  it("says no instrument matches an unknown ID", async () => {
    const page = await client.get("/portals/corvid/units?q=CI-0000-0000");
    expect(byTestId(page.html, "no-results")).toContain("No instruments match");
  });

  it("files a report after the modal confirmation and shows the confirmation banner", async () => {
    const unit = await client.get(`/portals/corvid/units/${UNITS.corvid}`);
    expect(unit.html).toContain('<dialog id="confirm-dialog"');
    expect(unit.html).toContain('id="confirm-submit" data-testid="confirm-submit"');
    const filed = await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, { ...REPORT, eventDate: yesterday(), confirmed: "yes" });
    expect(filed.html).toContain('data-testid="confirmation-banner"');
    const number = byTestId(filed.html, "confirmation-number");
    expect(number).toMatch(/^CVD-[A-Z]{4}-\d{4}$/);
    const log = await client.get("/portals/corvid/filings?reference=NS-2026-00633");
    expect(log.html).toContain(`data-confirmation-number="${number ?? ""}"`);
  });

  it("refuses a report that was not confirmed in the dialog", async () => {
    const before = sandbox.state.filings.length;
    const page = await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, { ...REPORT, eventDate: yesterday() });
    expect(page.status).toBe(422);
    expect(byTestId(page.html, "portal-message")).toBe("Please confirm the submission in the dialog.");
    expect(sandbox.state.filings.length).toBe(before);
  });

  it("rejects bad data with visible field messages", async () => {
    const page = await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, {
      ...REPORT,
      caseReference: "12345",
      eventDate: "2099-01-01",
      reporterEmail: "nope",
      confirmed: "yes",
    });
    expect(byTestId(page.html, "field-error-caseReference")).toBe("Enter the case reference as NS-YYYY-NNNNN");
    expect(byTestId(page.html, "field-error-eventDate")).toBe("Event date cannot be in the future");
    expect(byTestId(page.html, "field-error-reporterEmail")).toBe("Enter a valid email address");
  });
});
