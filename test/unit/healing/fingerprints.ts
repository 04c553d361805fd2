import type { ElementFingerprint } from "@/lib/healing";

/** A fingerprint with every field set to something plain; override what a test is about. */
export function fingerprint(overrides: Partial<ElementFingerprint> = {}): ElementFingerprint {
  return {
    role: "textbox",
    name: "VIN",
    label: "VIN",
    tag: "input",
    id: "vin",
    nameAttribute: "vin",
    testId: null,
    type: "text",
    placeholder: null,
    ancestors: ["main", "form:warranty claim", "fieldset:vehicle"],
    nearbyText: "Vehicle",
    siblingIndex: 0,
    siblingCount: 3,
    ...overrides,
  };
}

export function submitButton(overrides: Partial<ElementFingerprint> = {}): ElementFingerprint {
  return fingerprint({ role: "button", name: "Submit claim", label: null, tag: "button", id: "submit-claim", nameAttribute: null, type: "submit", ancestors: ["main", "form:warranty claim"], nearbyText: "Confirm", siblingIndex: 0, siblingCount: 2, ...overrides });
}
