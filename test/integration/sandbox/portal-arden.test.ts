import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, byTestId, PortalClient, startTestSandbox, UNITS, yesterday } from "./helpers.js";

function claim(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    caseReference: "NS-2026-00421",
    claimType: "warranty_claim",
    vin: UNITS.arden,
    mileage: "48213",
    failureDate: yesterday(),
    componentCategory: "powertrain",
    description: "Turbo underboost at highway speed; wastegate actuator replaced.",
    customerName: "Maya Okafor",
    customerEmail: "maya.okafor@example.com",
    confirmAccuracy: "yes",
    ...overrides,
  };
}

describe("Arden Motors portal (single long form)", () => {
  let sandbox: Sandbox;
  let client: PortalClient;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    client = new PortalClient(sandbox.url);
    await client.login("arden");
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("renders the claim form with the documented fields", async () => {
    const page = await client.get("/portals/arden/claims/new");
    expect(page.status).toBe(200);
    for (const id of ["case-reference", "claim-type", "vin", "mileage", "failure-date", "component-category", "description", "customer-name", "customer-email", "confirm-accuracy", "submit-claim"]) {
      expect(page.html).toContain(`id="${id}"`);
    }
    expect(page.html).toContain('<label for="vin">VIN</label>');
    expect(page.html).toContain('type="date"');
  });

  it("files a claim and shows the confirmation number", async () => {
    const page = await client.postForm("/portals/arden/claims", claim());
    expect(page.status).toBe(200);
    const confirmation = byTestId(page.html, "confirmation-number");
    expect(confirmation).toMatch(/^ARD-[A-Z2-9]{6}$/);
    expect(new URL(page.url).pathname).toBe(`/portals/arden/claims/${confirmation ?? ""}`);
    expect(byTestId(page.html, "claim-reference")).toBe("NS-2026-00421");
  });

  it("finds its filings by case reference", async () => {
    const found = await client.get("/portals/arden/filings?reference=ns-2026-00421");
    expect(found.html).toContain('data-testid="filing-row" data-reference="NS-2026-00421"');
    expect(found.html).toMatch(/data-testid="filing-confirmation"><a class="mono" href="[^"]+">ARD-[A-Z2-9]{6}<\/a>/);
    const none = await client.get("/portals/arden/filings?reference=NS-2026-99999");
    expect(byTestId(none.html, "filings-empty")).toBe("No filings found for NS-2026-99999.");
  });

  it("rejects an invalid VIN and a future date with visible messages, filing nothing", async () => {
    const before = sandbox.state.filings.length;
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const page = await client.postForm("/portals/arden/claims", claim({ vin: "1ARDO5TG2PK10452", failureDate: future, confirmAccuracy: "" }));
    expect(page.status).toBe(422);
    expect(byTestId(page.html, "field-error-vin")).toBe("Invalid VIN: must be 17 characters (letters and digits, no I, O or Q)");
    expect(byTestId(page.html, "field-error-failureDate")).toBe("Date of failure cannot be in the future");
    expect(byTestId(page.html, "field-error-confirmAccuracy")).toBe("You must confirm the claim is accurate");
    expect(page.html).toContain('data-testid="form-errors"');
    // Entered values are kept.
    expect(page.html).toContain('value="1ARDO5TG2PK10452"');
    expect(sandbox.state.filings.length).toBe(before);
  });

  it("accepts a second filing of the same reference but records it as a duplicate", async () => {
    await client.postForm("/portals/arden/claims", claim({ caseReference: "NS-2026-00777" }));
    await client.postForm("/portals/arden/claims", claim({ caseReference: "NS-2026-00777" }));
    const res = await admin<{ filings: { reference: string; duplicateOf: string | null }[]; duplicates: { reference: string; count: number }[] }>(
      sandbox,
      "GET",
      "/admin/filings?oem=arden",
    );
    expect(res.body.duplicates).toEqual([expect.objectContaining({ oem: "arden", reference: "NS-2026-00777", count: 2 })]);
    const dupes = res.body.filings.filter((f) => f.reference === "NS-2026-00777");
    expect(dupes[0]?.duplicateOf).toBeNull();
    expect(dupes[1]?.duplicateOf).toMatch(/^ARD-/);
  });

  it("renames ids, labels and test ids under DOM drift 1 while still accepting the form", async () => {
    sandbox.setFaults({ portals: { arden: { domDriftVersion: 1 } } });
    try {
      const form = await client.get("/portals/arden/claims/new");
      expect(form.html).not.toContain('id="vin"');
      expect(form.html).toContain('<label for="vehicle-id">Vehicle identification number</label>');
      expect(form.html).toContain('id="send-claim"');
      const filed = await client.postForm("/portals/arden/claims", {
        nsReference: "NS-2026-00888",
        submissionKind: "recall_completion",
        vehicleId: UNITS.arden,
        odometer: "1200",
        eventDate: yesterday(),
        componentGroup: "body",
        failureNarrative: "Recall remedy performed per bulletin.",
        ownerName: "Jonas Lindqvist",
        ownerEmail: "jonas@example.com",
        attest: "yes",
      });
      expect(byTestId(filed.html, "confirmation-number")).toBeNull();
      expect(byTestId(filed.html, "claim-receipt-number")).toMatch(/^ARD-/);
    } finally {
      sandbox.setFaults({ portals: { arden: { domDriftVersion: 0 } } });
    }
  });
});
