import { describe, expect, it } from "vitest";
import { mapBorealisSubmission } from "@/jobs/automation/adapters/borealis/mapping";
import { caseFor, failure } from "./case-fixtures";

const formData = {
  unit: { id: "bm-ex2-004512", model: "Borealis EX210 Excavator", year: 2023 },
  contact: { name: "Lena Novak", email: "lena.novak@example.com", phone: "+1 555 201 7781" },
  incidentDate: "2026-10-30",
  description: "Annual Stage V emissions inspection: NOx 0.38 g/kWh, PM below detection limit.",
  usage: { value: 1840, unit: "hours" },
  category: "exhaust_aftertreatment",
  acknowledgement: true,
};

describe("mapBorealisSubmission", () => {
  it("maps an emissions report onto the wizard's machine and details steps", () => {
    expect(mapBorealisSubmission(caseFor("borealis", "emissions_report", formData, "NS-2026-00114"))).toEqual({
      machine: { caseReference: "NS-2026-00114", submissionType: "emissions_report", serialNumber: "BM-EX2-004512" },
      details: {
        engineHours: "1840",
        eventDate: "2026-10-30",
        category: "exhaust_aftertreatment",
        details: "Annual Stage V emissions inspection: NOx 0.38 g/kWh, PM below detection limit.",
        contactName: "Lena Novak",
        contactPhone: "+1 555 201 7781",
      },
      declaration: true,
    });
  });

  it("keeps a seed-like short serial for the portal to refuse on step 1", () => {
    expect(mapBorealisSubmission(caseFor("borealis", "warranty_claim", { ...formData, unit: { id: "BM-EX2-4512" } })).machine.serialNumber).toBe("BM-EX2-4512");
  });

  it("takes a bare usage number as engine hours and rounds to whole hours", () => {
    expect(mapBorealisSubmission(caseFor("borealis", "warranty_claim", { ...formData, usage: 1100.4 })).details.engineHours).toBe("1100");
  });

  it("sends a case without a contact phone or serial to a person as missing_field", () => {
    expect(failure(() => mapBorealisSubmission(caseFor("borealis", "warranty_claim", { ...formData, contact: { name: "Lena Novak" } })))).toEqual({
      errorClass: "portal_rejected",
      code: "missing_field",
      message: "Cannot file on Borealis Machinery: the case has no contact phone.",
    });
    expect(failure(() => mapBorealisSubmission(caseFor("borealis", "warranty_claim", { ...formData, unit: null }))).code).toBe("missing_field");
  });

  it("cannot file usage measured in kilometres or a kind Borealis does not take", () => {
    expect(failure(() => mapBorealisSubmission(caseFor("borealis", "warranty_claim", { ...formData, usage: { value: 300, unit: "km" } }))).code).toBe("unmappable_field");
    expect(failure(() => mapBorealisSubmission(caseFor("borealis", "safety_incident", formData))).code).toBe("unmappable_field");
  });
});
