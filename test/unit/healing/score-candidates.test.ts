import { describe, expect, it } from "vitest";
import { DEFAULT_SCORE_OPTIONS, SCORE_FEATURES, SCORE_WEIGHTS, scoreCandidates, scoreFingerprint, type ElementFingerprint } from "@/lib/healing";
import { fingerprint, submitButton } from "./fingerprints";

const candidates = (...fingerprints: ElementFingerprint[]) => fingerprints.map((fp, i) => ({ key: `c${i}`, fingerprint: fp }));

describe("the scoring weights", () => {
  it("add up to 1 and rank role and accessible name highest of what every element has (options and the sole-of-its-kind signal count for some elements only)", () => {
    const total = SCORE_FEATURES.reduce((sum, feature) => sum + SCORE_WEIGHTS[feature], 0);
    expect(total).toBeCloseTo(1, 10);
    const byWeight = SCORE_FEATURES.filter((feature) => feature !== "options" && feature !== "soleKind").sort((a, b) => SCORE_WEIGHTS[b] - SCORE_WEIGHTS[a]);
    expect(byWeight.slice(0, 2).sort()).toEqual(["name", "role"]);
  });

  it("give an unchanged element a score of 1 with a reason per feature the stored fingerprint has", () => {
    const scored = scoreFingerprint(fingerprint(), fingerprint());
    expect(scored.score).toBe(1);
    expect(scored.excluded).toBeNull();
    // testId and placeholder are empty in the stored fingerprint, so they are not counted.
    expect(scored.reasons.map((r) => r.feature)).toEqual(["role", "name", "label", "id", "nameAttribute", "type", "tag", "ancestors", "position", "nearbyText"]);
  });
});

describe("healing by scoring candidates", () => {
  it("heals a renamed button (new id and text, same role, type and place in the form)", () => {
    const renamed = submitButton({ name: "Lodge claim", id: "lodge-claim" });
    const saveDraft = submitButton({ name: "Save draft", id: "save-draft", type: "button", siblingIndex: 1 });
    const decision = scoreCandidates(submitButton(), candidates(saveDraft, renamed));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome !== "accepted") return;
    expect(decision.best.candidate.key).toBe("c1");
    expect(decision.best.score).toBeGreaterThanOrEqual(DEFAULT_SCORE_OPTIONS.threshold);
    expect(decision.margin).toBeGreaterThanOrEqual(DEFAULT_SCORE_OPTIONS.margin);
    const name = decision.best.reasons.find((r) => r.feature === "name");
    expect(name).toMatchObject({ stored: "Submit claim", observed: "Lodge claim", similarity: 0.5 });
  });

  it("heals a moved field by its label, though its id and wrapper changed", () => {
    const moved = fingerprint({ id: "vehicle-vin", ancestors: ["main", "form:warranty claim", "section:details"], siblingIndex: 2, siblingCount: 4 });
    const others = [fingerprint({ name: "Odometer", label: "Odometer", id: "odo", nameAttribute: "odometer", siblingIndex: 0 }), fingerprint({ name: "Customer name", label: "Customer name", id: "cust", nameAttribute: "customer", siblingIndex: 1 })];
    const decision = scoreCandidates(fingerprint(), candidates(...others, moved));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") expect(decision.best.candidate.key).toBe("c2");
  });

  it("heals a relabelled field whose name attribute and place are kept", () => {
    const stored = fingerprint({ name: "Odometer", label: "Odometer", id: "mileage", nameAttribute: "mileage", siblingIndex: 1 });
    const relabelled = fingerprint({ name: "Current reading (km)", label: "Current reading (km)", id: "reading-km", nameAttribute: "mileage", siblingIndex: 1 });
    const decision = scoreCandidates(stored, candidates(fingerprint({ siblingIndex: 0 }), relabelled, fingerprint({ name: "Notes", label: "Notes", id: "notes", nameAttribute: "notes", tag: "textarea", type: null, siblingIndex: 2 })));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") expect(decision.best.candidate.key).toBe("c1");
  });

  it("does not heal a field whose label, id and name all changed: place alone is not enough", () => {
    const stored = fingerprint({ name: "Odometer", label: "Odometer", id: "mileage", nameAttribute: "mileage", siblingIndex: 1 });
    const unrecognisable = fingerprint({ name: "Current reading (km)", label: "Current reading (km)", id: "f2", nameAttribute: "f2", siblingIndex: 1 });
    const decision = scoreCandidates(stored, candidates(unrecognisable));
    expect(decision.outcome).toBe("no_match");
    expect(decision.best?.score).toBeLessThan(DEFAULT_SCORE_OPTIONS.threshold);
  });

  it("takes no action between two look-alike buttons", () => {
    const decision = scoreCandidates(submitButton({ siblingCount: 1 }), candidates(submitButton({ name: "Submit", id: null, siblingIndex: 0 }), submitButton({ name: "Submit", id: null, siblingIndex: 1 })));
    expect(decision.outcome).toBe("ambiguous");
    if (decision.outcome === "ambiguous") expect(decision.margin).toBeLessThan(DEFAULT_SCORE_OPTIONS.margin);
  });

  it("never chooses a destructive look-alike, even as the only candidate in the submit button's place", () => {
    const withdraw = submitButton({ name: "Withdraw claim", id: "withdraw-claim" });
    const decision = scoreCandidates(submitButton(), candidates(withdraw));
    expect(decision.outcome).toBe("no_match");
    expect(decision.ranking[0]?.excluded).toMatch(/different action/);
  });

  it("chooses the renamed submit over a destructive look-alike that scores higher, and does not count the latter as a runner-up", () => {
    const withdraw = submitButton({ name: "Withdraw claim", id: "submit-claim-2" });
    const renamed = submitButton({ name: "Send claim", id: "send", siblingIndex: 1 });
    const decision = scoreCandidates(submitButton(), candidates(withdraw, renamed));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") {
      expect(decision.best.candidate.key).toBe("c1");
      expect(decision.runnerUp).toBeNull();
    }
  });

  it("heals a relabelled password field but never to a visible-text field, nor a text field to a password one", () => {
    const username = fingerprint({ name: "Username", label: "Username", id: "username", nameAttribute: "username", siblingIndex: 0, siblingCount: 1 });
    const password = fingerprint({ name: "Password", label: "Password", id: "password", nameAttribute: "password", type: "password", siblingIndex: 0, siblingCount: 1 });
    const userId = fingerprint({ name: "User ID", label: "User ID", id: "user-id", nameAttribute: "user_id", siblingIndex: 0, siblingCount: 1 });
    const passcode = fingerprint({ name: "Passcode", label: "Passcode", id: "passcode", nameAttribute: "passcode", type: "password", siblingIndex: 0, siblingCount: 1 });
    const forPassword = scoreCandidates(password, candidates(userId, passcode));
    expect(forPassword.outcome).toBe("accepted");
    if (forPassword.outcome === "accepted") expect(forPassword.best.candidate.key).toBe("c1");
    expect(forPassword.ranking.find((r) => r.candidate.key === "c0")?.excluded).toMatch(/not a password field/);
    const forUsername = scoreCandidates(username, candidates(passcode, userId));
    expect(forUsername.outcome).toBe("accepted");
    if (forUsername.outcome === "accepted") expect(forUsername.best.candidate.key).toBe("c1");
    expect(scoreCandidates(username, candidates(passcode)).outcome).toBe("no_match");
  });

  it("tells a free-text box from a date field with the same words in its label", () => {
    const description = fingerprint({ name: "Description of failure", label: "Description of failure", id: "description", nameAttribute: "description", tag: "textarea", type: null, siblingIndex: 4, siblingCount: 6 });
    const narrative = fingerprint({ name: "Failure narrative", label: "Failure narrative", id: "failure-narrative", nameAttribute: "failureNarrative", tag: "textarea", type: null, siblingIndex: 4, siblingCount: 6 });
    const date = fingerprint({ name: "Failure date", label: "Failure date", id: "event-date", nameAttribute: "eventDate", type: "date", siblingIndex: 2, siblingCount: 6 });
    const decision = scoreCandidates(description, candidates(date, narrative));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") expect(decision.best.candidate.key).toBe("c1");
  });

  it("heals the form's only textarea though its label, id and name all changed, but not a text field that was one of many", () => {
    const details = fingerprint({ name: "Details", label: "Details", id: "details", nameAttribute: "details", tag: "textarea", type: null, kindCount: 1, siblingIndex: 3, siblingCount: 6 });
    const narrative = fingerprint({ name: "Narrative", label: "Narrative", id: "narrative", nameAttribute: "narrative", tag: "textarea", type: null, kindCount: 1, siblingIndex: 3, siblingCount: 6 });
    const contact = fingerprint({ name: "Contact person", label: "Contact person", id: "contact-person", nameAttribute: "contactPerson", kindCount: 4, siblingIndex: 4, siblingCount: 6 });
    const decision = scoreCandidates(details, candidates(contact, narrative));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") expect(decision.best.candidate.key).toBe("c1");
    const phone = fingerprint({ name: "Contact phone", label: "Contact phone", id: "contact-phone", nameAttribute: "contactPhone", kindCount: 4, siblingIndex: 5, siblingCount: 6 });
    const renamedPhone = fingerprint({ name: "Reach me at", label: "Reach me at", id: "f6", nameAttribute: "f6", kindCount: 4, siblingIndex: 5, siblingCount: 6 });
    expect(scoreCandidates(phone, candidates(renamedPhone)).outcome).toBe("no_match");
  });

  it("heals a relabelled select by its unchanged options, and not to a select with other options", () => {
    const options = ["Emissions compliance report", "Warranty claim"];
    const stored = fingerprint({ role: "combobox", tag: "select", type: null, name: "Submission type", label: "Submission type", id: "submission-type", nameAttribute: "submissionType", options, siblingIndex: 0, siblingCount: 2 });
    const relabelled = fingerprint({ role: "combobox", tag: "select", type: null, name: "Filing category", label: "Filing category", id: "filing-category", nameAttribute: "filingCategory", options, siblingIndex: 0, siblingCount: 2 });
    const other = fingerprint({ role: "combobox", tag: "select", type: null, name: "Machine class", label: "Machine class", id: "machine-class", nameAttribute: "machineClass", options: ["Excavator", "Loader"], siblingIndex: 1, siblingCount: 2 });
    const decision = scoreCandidates(stored, candidates(other, relabelled));
    expect(decision.outcome).toBe("accepted");
    if (decision.outcome === "accepted") expect(decision.best.candidate.key).toBe("c1");
    expect(scoreCandidates(stored, candidates(other)).outcome).toBe("no_match");
  });

  it("never chooses a candidate the caller excludes (an element that already is another target)", () => {
    const decision = scoreCandidates(fingerprint(), candidates(fingerprint({ id: "vin-2" })), undefined, () => "already the case reference on this page");
    expect(decision.outcome).toBe("no_match");
    expect(decision.ranking[0]?.excluded).toBe("already the case reference on this page");
  });

  it("never heals to a control of another role", () => {
    const decision = scoreCandidates(fingerprint(), candidates(fingerprint({ role: "combobox", tag: "select" })));
    expect(decision.outcome).toBe("no_match");
    expect(decision.ranking[0]?.excluded).toBe("role is combobox, the target's is textbox");
  });

  it("reports no match for an empty page", () => {
    expect(scoreCandidates(fingerprint(), [])).toEqual({ outcome: "no_match", best: null, ranking: [] });
  });

  it("honours a stricter threshold and margin", () => {
    const renamed = submitButton({ name: "Lodge claim", id: "lodge-claim" });
    expect(scoreCandidates(submitButton(), candidates(renamed), { threshold: 0.95, margin: 0.15 }).outcome).toBe("no_match");
    const nearTie = candidates(renamed, submitButton({ name: "Lodge claim", id: "lodge-claim", siblingIndex: 1 }));
    expect(scoreCandidates(submitButton(), nearTie, { threshold: 0.5, margin: 0.01 }).outcome).toBe("accepted");
  });
});
