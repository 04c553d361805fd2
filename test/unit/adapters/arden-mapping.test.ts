import { describe, expect, it } from "vitest";
import { mapArdenClaim } from "@/jobs/automation/adapters/arden/mapping";
import { caseFor, failure } from "./case-fixtures";

const formData = {
  unit: { id: "1ar4jbw5tgff995p6", model: "Arden Tarrow LX", year: 2025 },
  contact: { name: "Hannah Costa", email: "hannah.costa@example.com", phone: "+1 555 784 2716" },
  incidentDate: "2026-11-07",
  description: "Customer reports intermittent loss of power above 90 km/h; wastegate actuator replaced.",
  usage: { value: 14494, unit: "km" },
  category: "powertrain",
  acknowledgement: true,
  createdAt: "2026-11-08T09:00:00.000Z",
};

describe("mapArdenClaim", () => {
  it("maps a warranty case onto the claim form, carrying the case reference", () => {
    expect(mapArdenClaim(caseFor("arden", "warranty_claim", formData))).toEqual({
      caseReference: "NS-2026-00123",
      claimType: "warranty_claim",
      vin: "1AR4JBW5TGFF995P6",
      mileage: "14494",
      failureDate: "2026-11-07",
      category: "powertrain",
      description: "Customer reports intermittent loss of power above 90 km/h; wastegate actuator replaced.",
      customerName: "Hannah Costa",
      customerEmail: "hannah.costa@example.com",
      confirmAccuracy: true,
    });
  });

  it("files odometer readings in whole kilometres, converting miles", () => {
    expect(mapArdenClaim(caseFor("arden", "recall_completion", { ...formData, usage: { value: 1000, unit: "mi" } })).mileage).toBe("1609");
    expect(mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, usage: { value: 12.6, unit: "km" } })).mileage).toBe("13");
  });

  it("formats a timestamp incident date as its UTC calendar date", () => {
    expect(mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, incidentDate: "2026-11-07T23:30:00-02:00" })).failureDate).toBe("2026-11-08");
  });

  it("leaves a malformed VIN for the portal to refuse (the portal is the authority on formats)", () => {
    expect(mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, unit: { id: "1AR4JBW5TGFF9O5P6" } })).vin).toBe("1AR4JBW5TGFF9O5P6");
  });

  it("sends a case without a unit id to a person as missing_field", () => {
    const error = failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, unit: { model: "Arden Solace" } })));
    expect(error).toEqual({ errorClass: "portal_rejected", code: "missing_field", message: "Cannot file on Arden Motors: the case has no VIN (unit id)." });
  });

  it("refuses to attest a claim whose customer declaration is not signed", () => {
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, acknowledgement: false })))).toMatchObject({
      code: "missing_field",
      message: expect.stringContaining("signed customer declaration") as unknown,
    });
  });

  it("reports values the form cannot take as unmappable_field", () => {
    expect(failure(() => mapArdenClaim(caseFor("arden", "emissions_report", formData))).code).toBe("unmappable_field");
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, category: "engine" }))).message).toContain('"engine"');
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, usage: { value: 300, unit: "hours" } }))).code).toBe("unmappable_field");
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, incidentDate: "2026-02-30" }))).code).toBe("unmappable_field");
  });

  it("names each missing customer detail", () => {
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, contact: { name: "Hannah Costa" } }))).message).toBe(
      "Cannot file on Arden Motors: the case has no customer email.",
    );
    expect(failure(() => mapArdenClaim(caseFor("arden", "warranty_claim", { ...formData, description: "   " }))).code).toBe("missing_field");
  });
});
