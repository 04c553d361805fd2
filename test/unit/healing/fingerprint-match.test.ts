import { describe, expect, it } from "vitest";
import { fingerprintMatches } from "@/lib/healing";
import { fingerprint, submitButton } from "./fingerprints";

describe("checking a cached or primary locator's element against its fingerprint", () => {
  it("accepts the same control, whatever its case, spacing or required marker", () => {
    expect(fingerprintMatches(fingerprint(), fingerprint({ name: "  vin * ", ancestors: [], siblingIndex: 2 }))).toEqual({ matches: true, reasons: [] });
  });

  it("detects a selector that now hits another control (the #vin id on the Notes textarea)", () => {
    const verdict = fingerprintMatches(fingerprint(), fingerprint({ name: "Notes", label: "Notes", tag: "textarea", type: null }));
    expect(verdict.matches).toBe(false);
    expect(verdict.reasons).toEqual(['accessible name is "Notes", expected "VIN"']);
  });

  it("detects a different role with the same name", () => {
    const verdict = fingerprintMatches(fingerprint(), fingerprint({ role: "combobox", tag: "select" }));
    expect(verdict.matches).toBe(false);
    expect(verdict.reasons[0]).toBe('role is "combobox", expected "textbox"');
  });

  it("treats a renamed control as a miss, so it goes to healing rather than being used as is", () => {
    expect(fingerprintMatches(submitButton(), submitButton({ name: "Send claim" })).matches).toBe(false);
  });

  it("compares labels when neither element has an accessible name", () => {
    const unnamed = fingerprint({ name: "", label: "Odometer" });
    expect(fingerprintMatches(unnamed, fingerprint({ name: "", label: "Odometer" })).matches).toBe(true);
    expect(fingerprintMatches(unnamed, fingerprint({ name: "", label: "Notes" })).matches).toBe(false);
  });

  it("detects a role that disappeared", () => {
    expect(fingerprintMatches(submitButton(), submitButton({ role: null })).reasons[0]).toBe('role is none, expected "button"');
  });
});
