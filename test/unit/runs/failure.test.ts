import { describe, expect, it } from "vitest";
import { failureFingerprint, failureNoteText, normaliseErrorMessage, reasonSentence, } from "@/lib/runs/failure";
import type { FailureObject } from "@/lib/domain/types";

describe("failure objects", () => {
  it("explains a portal rejection with the portal's own words", () => {
    expect(reasonSentence({ oemLabel: "Arden Motors", errorClass: "portal_rejected", message: "VIN   contains invalid characters", failingStep: "capture_confirmation" })).toBe(
      "The Arden Motors portal rejected the submission (at step \"capture confirmation\"): “VIN contains invalid characters”",
    );
  });

  it("explains other classes in plain words, without stack traces or codes", () => {
    const sentence = reasonSentence({ oemLabel: "Corvid Instruments", errorClass: "site_changed", message: "Expected element not found: #unit-search", failingStep: "find_unit" });
    expect(sentence).toBe("Not submitted: the portal's page no longer looks the way the automation expects (at step \"find unit\").");
  });

  it("gives the same fingerprint to the same problem on different cases, and different ones to different steps", () => {
    const a = failureFingerprint({ oemId: "arden", step: "fill", code: "selector_missing", message: 'Expected element not found: "#vin" for case NS-2026-00012' });
    const b = failureFingerprint({ oemId: "arden", step: "fill", code: "selector_missing", message: 'Expected element not found: "#vin" for case NS-2026-00417' });
    const c = failureFingerprint({ oemId: "arden", step: "submit", code: "selector_missing", message: 'Expected element not found: "#vin" for case NS-2026-00012' });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(normaliseErrorMessage("Run 3f2b1c4e-0000-4000-8000-000000000000 failed at http://x/y after 3 tries")).toBe("run <uuid> failed at <url> after <n> tries");
  });

  it("renders a CRM note a person can read, with the failure object's links", () => {
    const failure: FailureObject = {
      reason: "Not submitted: the portal was unreachable.",
      errorClass: "site_flake",
      code: "http_503",
      lastGoodStep: "login",
      failingStep: "open_form",
      attempts: [{ number: 1, status: "failed", errorClass: "site_flake", code: "http_503", startedAt: "2026-11-25T01:30:00.000Z", finishedAt: "2026-11-25T01:30:05.000Z" }],
      screenshotUrl: "https://nightshift.example/api/artifacts/runs/x/1/failure.png?expires=1&sig=abc",
      domSnapshotUrl: null,
      traceUrl: null,
      portalUrl: "http://portal",
      fingerprint: "abc",
      nextAction: "Retry the run once the portal is healthy again.",
    };
    const note = failureNoteText(failure);
    expect(note).toContain("Nightshift could not submit this case. Not submitted: the portal was unreachable.");
    expect(note).toContain("Screenshot: https://nightshift.example/api/artifacts/runs/x/1/failure.png?expires=1&sig=abc");
    expect(note).not.toMatch(/[{}]/);
  });
});
