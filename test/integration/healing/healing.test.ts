import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { captureFingerprint, collectCandidates, dismissBlockingOverlay, resolveTarget, verifyTarget } from "@/jobs/automation/healing";
import type { ElementFingerprint, Target } from "@/lib/healing";
import { trackResource } from "../../support/resources";
import * as fixtures from "./fixtures";

// Real Chromium over fixture pages: replay verifies cached and primary locators, heals renamed,
// moved and relabelled controls only when one candidate wins clearly, never picks a destructive
// look-alike, and gets rid of unknown blocking dialogs without pressing a destructive button.

const VIN: Target = { id: "arden.claim.vin", intent: "the VIN field of the warranty claim form", kind: "field", reversible: true };
const ODOMETER: Target = { id: "arden.claim.mileage", intent: "the odometer reading of the warranty claim form", kind: "field", reversible: true };
const SUBMIT: Target = { id: "arden.claim.submit", intent: "the button that files the warranty claim", kind: "button", reversible: false };

let browser: Browser;
let context: BrowserContext;
let page: Page;
let untrack: () => void;
/** Fingerprints recorded on the original form, as a last good run would have stored them. */
const stored: Record<"vin" | "mileage" | "submit", ElementFingerprint> = {} as never;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  untrack = trackResource("chromium");
  const first = await browser.newPage();
  await first.setContent(fixtures.CLAIM_FORM);
  stored.vin = await captureFingerprint(first.locator("#vin"));
  stored.mileage = await captureFingerprint(first.locator("#mileage"));
  stored.submit = await captureFingerprint(first.locator("#submit-claim"));
  await first.close();
});

afterAll(async () => {
  await browser?.close();
  untrack?.();
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

const events = () => page.evaluate(() => (window as unknown as { __events: string[] }).__events);

describe("fingerprints", () => {
  it("records role, accessible name, label, attributes, ancestors, nearby text and place in the form", () => {
    expect(stored.vin).toEqual({
      role: "textbox",
      name: "VIN",
      label: "VIN",
      tag: "input",
      id: "vin",
      nameAttribute: "vin",
      testId: null,
      type: "text",
      placeholder: null,
      ancestors: ["main", "form:Warranty claim", "fieldset:Vehicle"],
      nearbyText: "Vehicle",
      siblingIndex: 0,
      siblingCount: 3,
      kindCount: 2,
    });
    expect(stored.submit).toMatchObject({ role: "button", name: "Submit claim", label: null, type: "submit", siblingIndex: 1, siblingCount: 2 });
    expect(stored.mileage).toMatchObject({ role: "spinbutton", name: "Odometer", nameAttribute: "mileage" });
  });

  it("collects visible candidates of a kind, each with a locator that finds exactly it", async () => {
    await page.setContent(fixtures.LOOKALIKE_BUTTONS);
    const buttons = await collectCandidates(page, "button");
    expect(buttons.map((b) => b.fingerprint.name)).toEqual(["Save draft", "Submit claim", "Submit claim"]);
    expect(buttons.map((b) => b.recipe)).toEqual([
      { strategy: "role", role: "button", name: "Save draft", nth: null },
      { strategy: "role", role: "button", name: "Submit claim", nth: 0 },
      { strategy: "role", role: "button", name: "Submit claim", nth: 1 },
    ]);
    await buttons[2]!.locator!.click();
    expect(await events()).toEqual(["submit 2", "submitted"]);
    // The probe's markers are gone again.
    expect(await page.locator("[data-ns-heal-candidate]").count()).toBe(0);
  });
});

describe("replay", () => {
  it("uses a primary locator that still finds the recorded control", async () => {
    await page.setContent(fixtures.CLAIM_FORM);
    const resolution = await resolveTarget(page, VIN, stored.vin, { primary: "#vin" });
    expect(resolution).toMatchObject({ status: "resolved", how: "primary", score: 1 });
  });

  it("detects a cached selector that now points at another control (#vin on the Notes textarea), and heals to the real VIN field", async () => {
    await page.setContent(fixtures.VIN_ID_ON_NOTES);
    expect(await verifyTarget(page.locator("#vin"), stored.vin)).toMatchObject({ status: "miss", kind: "fingerprint_mismatch", detail: 'accessible name is "Notes", expected "VIN".' });
    const resolution = await resolveTarget(page, VIN, stored.vin, { cached: { strategy: "css", selector: "#vin" }, primary: "#vin" });
    expect(resolution.trials.map((t) => [t.how, t.result])).toEqual([["cached", "fingerprint_mismatch"], ["primary", "fingerprint_mismatch"]]);
    expect(resolution).toMatchObject({ status: "resolved", how: "healed", fingerprint: { id: "vehicle-id", name: "VIN" } });
    if (resolution.status !== "resolved") return;
    await resolution.locator.fill("1AR4JBW5TGFF995P6");
    expect(await page.locator("#vehicle-id").inputValue()).toBe("1AR4JBW5TGFF995P6");
    expect(await page.locator("textarea").inputValue()).toBe("");
  });

  it("reports a missing element and several matches as misses", async () => {
    await page.setContent(fixtures.LOOKALIKE_BUTTONS);
    expect(await verifyTarget(page.locator("#submit-claim"), stored.submit)).toMatchObject({ status: "miss", kind: "not_found" });
    expect(await verifyTarget(page.getByRole("button", { name: "Submit claim" }), stored.submit)).toMatchObject({ status: "miss", kind: "ambiguous", detail: "2 visible elements match." });
  });
});

describe("deterministic healing", () => {
  it("heals a renamed button (new id and text, same role and place)", async () => {
    await page.setContent(fixtures.RENAMED_BUTTON);
    const resolution = await resolveTarget(page, SUBMIT, stored.submit, { primary: "#submit-claim" });
    expect(resolution).toMatchObject({ status: "resolved", how: "healed", recipe: { strategy: "role", role: "button", name: "Send claim", nth: null } });
    if (resolution.status !== "resolved") return;
    expect(resolution.score).toBeGreaterThan(0.5);
    expect(resolution.reasons.find((r) => r.feature === "name")).toMatchObject({ stored: "Submit claim", observed: "Send claim" });
    expect(resolution.trials).toEqual([{ how: "primary", locator: "css #submit-claim", result: "not_found", detail: "No visible element matches." }]);
  });

  it("heals a moved field by its label", async () => {
    await page.setContent(fixtures.MOVED_FIELD);
    const resolution = await resolveTarget(page, VIN, stored.vin, { primary: "#vin" });
    expect(resolution).toMatchObject({ status: "resolved", how: "healed", fingerprint: { id: "vehicle-vin", ancestors: ["main", "form:Warranty claim", "fieldset:Vehicle", "region:Identification"] } });
  });

  it("heals a relabelled field whose posted name and place are kept", async () => {
    await page.setContent(fixtures.RELABELLED_FIELD);
    const resolution = await resolveTarget(page, ODOMETER, stored.mileage, { primary: "#mileage" });
    expect(resolution).toMatchObject({ status: "resolved", how: "healed", fingerprint: { id: "odo-reading", nameAttribute: "mileage" } });
  });

  it("does not heal a field whose label, id and name all changed", async () => {
    await page.setContent(fixtures.UNRECOGNISABLE_FIELD);
    const resolution = await resolveTarget(page, ODOMETER, stored.mileage, { primary: "#mileage" });
    expect(resolution).toMatchObject({ status: "miss", kind: "not_found" });
    expect(resolution.status === "miss" && resolution.ranking[0]?.fingerprint.id).toBe("f2");
  });

  it("takes no action between two look-alike submit buttons", async () => {
    await page.setContent(fixtures.LOOKALIKE_BUTTONS);
    const resolution = await resolveTarget(page, SUBMIT, stored.submit, { primary: "#submit-claim" });
    expect(resolution).toMatchObject({ status: "miss", kind: "ambiguous" });
    expect(resolution.status === "miss" && resolution.detail).toMatch(/^No candidate wins clearly/);
    expect(await events()).toEqual([]);
  });

  it("never chooses a destructive look-alike where the submit button was", async () => {
    await page.setContent(fixtures.DESTRUCTIVE_LOOKALIKE);
    const resolution = await resolveTarget(page, SUBMIT, stored.submit, { primary: "#submit-claim" });
    expect(resolution).toMatchObject({ status: "miss", kind: "not_found" });
    const withdraw = resolution.status === "miss" ? resolution.ranking.find((r) => r.fingerprint.name === "Withdraw claim") : undefined;
    expect(withdraw?.excluded).toMatch(/different action/);
  });

  it("treats the old submit id on a Withdraw button as a mismatch, not a hit", async () => {
    await page.setContent(fixtures.DESTRUCTIVE_ON_OLD_ID);
    const resolution = await resolveTarget(page, SUBMIT, stored.submit, { primary: "#submit-claim" });
    expect(resolution).toMatchObject({ status: "miss", kind: "fingerprint_mismatch", trials: [{ result: "fingerprint_mismatch" }] });
    expect(await events()).toEqual([]);
  });
});

describe("blocking overlays", () => {
  it("sees a target covered by a new cookie dialog, dismisses it with Accept, and then fills the form", async () => {
    await page.setContent(fixtures.COOKIE_DIALOG);
    expect(await resolveTarget(page, VIN, stored.vin, { primary: "#vin" })).toMatchObject({ status: "miss", kind: "blocked_by_overlay", detail: 'A click would land on dialog "We use cookies".' });
    const dismissal = await dismissBlockingOverlay(page);
    expect(dismissal).toMatchObject({ action: "clicked", button: "Accept", refused: [], navigated: false, overlay: { role: "dialog", name: "We use cookies", modal: true } });
    expect(await dismissBlockingOverlay(page)).toEqual({ action: "none" });
    const resolution = await resolveTarget(page, VIN, stored.vin, { primary: "#vin" });
    expect(resolution.status).toBe("resolved");
    if (resolution.status === "resolved") await resolution.locator.fill("1AR4JBW5TGFF995P6", { timeout: 2_000 });
    expect(await events()).toEqual(["accept cookies"]);
  });

  it("presses the button a person approved for this overlay instead of the generic choice, but never a destructive one", async () => {
    await page.setContent(fixtures.COOKIE_DIALOG);
    // Generic rules would press Accept; the approved action for this overlay is "Manage preferences".
    const approved = (overlay: { name: string }) => (overlay.name === "We use cookies" ? { type: "click" as const, buttonName: "Manage preferences" } : null);
    expect(await dismissBlockingOverlay(page, { approved, timeoutMs: 500 })).toMatchObject({ button: "Manage preferences" });
    expect(await events()).toContain("preferences");
    await page.setContent(fixtures.NOTICE_DIALOG);
    const destructive = () => ({ type: "click" as const, buttonName: "Delete my data" });
    expect(await dismissBlockingOverlay(page, { approved: destructive })).toMatchObject({ action: "clicked", button: "I understand" });
    expect(await events()).not.toContain("deleted my data");
  });

  it("dismisses a cookie dialog with OK", async () => {
    await page.setContent(fixtures.COOKIE_DIALOG_OK);
    expect(await dismissBlockingOverlay(page)).toMatchObject({ action: "clicked", button: "OK" });
    await page.locator("#vin").fill("x", { timeout: 2_000 });
  });

  it("presses \"I understand\" on an unknown notice, never \"Delete my data\"", async () => {
    await page.setContent(fixtures.NOTICE_DIALOG);
    expect(await dismissBlockingOverlay(page)).toMatchObject({
      action: "clicked",
      button: "I understand",
      refused: ["Delete my data"],
      overlay: { name: "Important notice", text: expect.stringMatching(/^Important notice Please read this before you continue\. /) as unknown },
    });
    expect(await events()).toEqual(["understood"]);
  });

  it("presses Escape when the dialog has no close or acknowledge button", async () => {
    await page.setContent(fixtures.ESCAPE_ONLY_DIALOG);
    expect(await dismissBlockingOverlay(page, { timeoutMs: 1_000 })).toMatchObject({ action: "escape", refused: [] });
    expect(await events()).toEqual(["escape"]);
  });

  it("reports a dialog it cannot close safely, without pressing its destructive button", async () => {
    await page.setContent(fixtures.DESTRUCTIVE_ONLY_DIALOG);
    expect(await dismissBlockingOverlay(page, { timeoutMs: 500 })).toMatchObject({ action: "still_blocked", tried: ["escape"], refused: ["Delete my data"], button: null });
    expect(await events()).toEqual([]);
  });

  it("reports none when nothing blocks, even with a cookie banner along the bottom", async () => {
    await page.setContent(fixtures.NON_BLOCKING_BANNER);
    expect(await dismissBlockingOverlay(page)).toEqual({ action: "none" });
  });
});
