import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureFingerprint, dismissBlockingOverlay, resolveTarget, type OverlayDismissal, type Resolution } from "@/jobs/automation/healing";
import type { ElementFingerprint, TargetKind } from "@/lib/healing";
import { ARDEN_CONTROLS, ARDEN_FIELDS } from "@/sandbox/portals/arden/selectors";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { trackResource } from "../../support/resources";

// The healer against the sandbox's own redesign, with no fallback list: fingerprints recorded on
// Arden's claim form at drift 0 find the drift-1 fields by scoring alone, every heal is the right
// field (by the sandbox's own field map), and what it cannot tell apart it leaves alone. Its three
// pop-ups are dismissed by the generic rules, without the adapters' per-pop-up selectors.

const KINDS: Partial<Record<keyof typeof ARDEN_FIELDS, TargetKind>> = { claimType: "select", category: "select", confirmAccuracy: "checkbox" };
const KNOBS = { maintenance: false, popupRate: 0, popupKinds: ["cookie_wall"] as Array<"cookie_wall" | "survey" | "session_expiry">, domDriftVersion: 0 as 0 | 1, lostResponseRate: 0, rejectRate: 0, lockoutAfter: 0 };

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const untrack: Array<() => void> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: false });
  untrack.push(trackResource("sandbox"));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  untrack.push(trackResource("chromium"));
  sandbox.setFaults({ portals: { arden: KNOBS } });
  page = await browser.newPage();
  await page.goto(`${sandbox.url}/portals/arden/login`);
  await page.locator("#username").fill("nightshift");
  await page.locator("#password").fill("sandbox-arden-pass");
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith("/login")), page.locator("#login-submit").click()]);
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  untrack.forEach((done) => done());
});

describe("healing Arden's drift-1 claim form from drift-0 fingerprints", () => {
  it("heals at least 9 of its 11 targets, each to the right field, and acts on none it cannot tell apart", async () => {
    await page.goto(`${sandbox.url}/portals/arden/claims/new`);
    const targets = [
      ...Object.entries(ARDEN_FIELDS).map(([key, def]) => ({ key, v0: def.v0.id, v1: def.v1.id, kind: KINDS[key as keyof typeof ARDEN_FIELDS] ?? ("field" as const) })),
      { key: "submit", v0: ARDEN_CONTROLS.submit.v0.id, v1: ARDEN_CONTROLS.submit.v1.id, kind: "button" as const },
    ];
    const stored = new Map<string, ElementFingerprint>();
    for (const t of targets) stored.set(t.key, await captureFingerprint(page.locator(`#${t.v0}`)));

    sandbox.setFaults({ portals: { arden: { ...KNOBS, domDriftVersion: 1 } } });
    await page.goto(`${sandbox.url}/portals/arden/claims/new`);
    const results = new Map<string, Resolution>();
    for (const t of targets) {
      const target = { id: `arden.claim.${t.key}`, intent: t.key, kind: t.kind, reversible: t.key !== "submit" };
      results.set(t.key, await resolveTarget(page, target, stored.get(t.key)!, { primary: `#${t.v0}`, scope: page.locator("main form").last() }));
    }
    const healed = targets.filter((t) => results.get(t.key)?.status === "resolved");
    for (const t of healed) expect({ key: t.key, id: (results.get(t.key) as Extract<Resolution, { status: "resolved" }>).fingerprint.id }).toEqual({ key: t.key, id: t.v1 });
    expect(healed.length).toBeGreaterThanOrEqual(9);
    for (const t of targets.filter((t) => !healed.includes(t))) expect(["ambiguous", "not_found"]).toContain((results.get(t.key) as Extract<Resolution, { status: "miss" }>).kind);
  });
});

describe("the sandbox's pop-ups, dismissed by the generic rules", () => {
  it.each([
    ["cookie_wall", "Accept all cookies", false],
    ["survey", "No thanks", false],
    ["session_expiry", "Continue session", true],
  ] as const)("dismisses the %s with %j and leaves the form usable", async (kind, button, navigated) => {
    sandbox.setFaults({ portals: { arden: { ...KNOBS, popupRate: 1, popupKinds: [kind] } } });
    await page.goto(`${sandbox.url}/portals/arden/claims/new`);
    sandbox.setFaults({ portals: { arden: KNOBS } });
    // The survey is rendered hidden and shown 400 ms after load.
    await page.getByRole(kind === "session_expiry" ? "alertdialog" : "dialog").waitFor({ state: "visible", timeout: 3_000 });
    const dismissals: OverlayDismissal[] = [];
    for (let round = 0; round < 3; round++) {
      const dismissal = await dismissBlockingOverlay(page);
      if (dismissal.action === "none") break;
      dismissals.push(dismissal);
    }
    expect(dismissals).toHaveLength(1);
    expect(dismissals[0]).toMatchObject({ action: "clicked", button, navigated });
    await page.getByRole("textbox").first().fill("NS-HEAL-1", { timeout: 2_000 });
  });
});
