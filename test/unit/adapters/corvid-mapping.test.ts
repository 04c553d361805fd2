import { describe, expect, it } from "vitest";
import { mapCorvidReport } from "@/jobs/automation/adapters/corvid/mapping";
import { caseFor, failure } from "./case-fixtures";

const formData = {
  unit: { id: " ci-4821-0093 ", model: "Corvid Centra X Centrifuge", year: null },
  contact: { name: "Jonas Rahimi", email: "jonas.rahimi@example.com", phone: "+1 555 310 4411" },
  incidentDate: "2026-11-02",
  description: "Centrifuge lid interlock released while the rotor was still spinning at about 800 rpm. No injury.",
  usage: { value: 48211, unit: "cycles" },
  category: "mechanical_failure",
  acknowledgement: true,
};

describe("mapCorvidReport", () => {
  it("maps a safety incident onto the instrument search and the report form", () => {
    expect(mapCorvidReport(caseFor("corvid", "safety_incident", formData, "NS-2026-00125"))).toEqual({
      instrumentId: "CI-4821-0093",
      caseReference: "NS-2026-00125",
      reportType: "safety_incident",
      eventDate: "2026-11-02",
      category: "mechanical_failure",
      cycleCount: "48211",
      summary: "Centrifuge lid interlock released while the rotor was still spinning at about 800 rpm. No injury.",
      reporterEmail: "jonas.rahimi@example.com",
    });
  });

  it("does not need a signed acknowledgement (Corvid confirms in its dialog instead)", () => {
    expect(mapCorvidReport(caseFor("corvid", "recall_completion", { ...formData, acknowledgement: false })).reportType).toBe("recall_completion");
  });

  it("leaves a future incident date for the portal to refuse", () => {
    expect(mapCorvidReport(caseFor("corvid", "safety_incident", { ...formData, incidentDate: "2099-01-01" })).eventDate).toBe("2099-01-01");
  });

  it("sends a case without an instrument id or reporter email to a person as missing_field", () => {
    expect(failure(() => mapCorvidReport(caseFor("corvid", "safety_incident", { ...formData, unit: { id: "" } })))).toEqual({
      errorClass: "portal_rejected",
      code: "missing_field",
      message: "Cannot file on Corvid Instruments: the case has no instrument id (unit id).",
    });
    expect(failure(() => mapCorvidReport(caseFor("corvid", "safety_incident", { ...formData, contact: {} }))).message).toContain("reporter email");
  });

  it("cannot file an unknown category, a non-numeric usage or an Arden kind", () => {
    expect(failure(() => mapCorvidReport(caseFor("corvid", "safety_incident", { ...formData, category: "powertrain" }))).code).toBe("unmappable_field");
    expect(failure(() => mapCorvidReport(caseFor("corvid", "safety_incident", { ...formData, usage: { value: "many", unit: "cycles" } }))).code).toBe("unmappable_field");
    expect(failure(() => mapCorvidReport(caseFor("corvid", "warranty_claim", formData))).code).toBe("unmappable_field");
  });
});
