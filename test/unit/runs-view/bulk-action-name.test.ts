import { describe, expect, it } from "vitest";
import { bulkActionName } from "@/lib/runs/bulk-action-name";

describe("a bulk action's name in words", () => {
  it("names the OEM and the error class when every run shares them", () => {
    expect(bulkActionName({ action: "retry", count: 12, oemLabels: Array(12).fill("Arden Motors"), errorClasses: Array(12).fill("site_changed"), statuses: Array(12).fill("parked") })).toBe("Retry 12 Arden site-changed runs");
  });

  it("leaves out what the runs do not share", () => {
    expect(bulkActionName({ action: "retry", count: 3, oemLabels: ["Arden Motors", "Corvid Instruments", "Arden Motors"], errorClasses: ["portal_rejected", "portal_rejected", "portal_rejected"], statuses: ["needs_review", "needs_review", "needs_review"] })).toBe("Retry 3 portal-rejected runs");
    expect(bulkActionName({ action: "retry", count: 2, oemLabels: ["Borealis Machinery", "Borealis Machinery"], errorClasses: ["auth", "infra"], statuses: ["failed", "failed"] })).toBe("Retry 2 Borealis runs");
    // A run that never failed (it will be skipped) does not take the class out of the name.
    expect(bulkActionName({ action: "retry", count: 2, oemLabels: ["Borealis Machinery", "Borealis Machinery"], errorClasses: ["auth", null], statuses: ["failed", "submitted"] })).toBe("Retry 2 Borealis credentials runs");
    expect(bulkActionName({ action: "retry", count: 1500, oemLabels: [], errorClasses: [], statuses: [] })).toBe("Retry 1,500 runs");
  });

  it("names a cancel by what was waiting", () => {
    expect(bulkActionName({ action: "cancel", count: 3, oemLabels: ["Borealis Machinery", "Borealis Machinery", "Borealis Machinery"], errorClasses: [null, null, null], statuses: ["queued", "queued", "queued"] })).toBe("Cancel 3 queued Borealis runs");
    expect(bulkActionName({ action: "cancel", count: 2, oemLabels: ["Arden Motors", "Corvid Instruments"], errorClasses: [null, "site_flake"], statuses: ["queued", "retry_scheduled"] })).toBe("Cancel 2 runs");
  });

  it("says run for one", () => {
    expect(bulkActionName({ action: "cancel", count: 1, oemLabels: ["Corvid Instruments"], errorClasses: ["site_flake"], statuses: ["retry_scheduled"] })).toBe("Cancel 1 retry-scheduled Corvid run");
    expect(bulkActionName({ action: "retry", count: 1, oemLabels: ["Arden Motors"], errorClasses: ["adapter_bug"], statuses: ["parked"] })).toBe("Retry 1 Arden adapter-bug run");
  });
});
