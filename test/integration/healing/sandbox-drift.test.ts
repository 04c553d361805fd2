import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureFingerprint, dismissBlockingOverlay, resolveTarget, type OverlayDismissal, type Resolution } from "@/jobs/automation/healing";
import { ARDEN, ARDEN_SIGN_IN } from "@/jobs/automation/adapters/arden/selectors";
import { BOREALIS, BOREALIS_SIGN_IN } from "@/jobs/automation/adapters/borealis/selectors";
import { CORVID, CORVID_SIGN_IN } from "@/jobs/automation/adapters/corvid/selectors";
import type { ActionTarget, PortalSignIn } from "@/jobs/automation/portal-kit";
import type { ElementFingerprint, MissKind, TargetKind } from "@/lib/healing";
import { ARDEN_CONTROLS, ARDEN_FIELDS } from "@/sandbox/portals/arden/selectors";
import { BOREALIS_CONTROLS, BOREALIS_FIELDS } from "@/sandbox/portals/borealis/selectors";
import { LOGIN_CONTROLS, LOGIN_FIELDS } from "@/sandbox/portals/common-selectors";
import { CORVID_CONTROLS, CORVID_FIELDS } from "@/sandbox/portals/corvid/selectors";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { trackResource } from "../../support/resources";

// The healer against the sandbox's own redesign, with no fallback list: fingerprints recorded on
// Arden's claim form at drift 0 find the drift-1 fields by scoring alone, every heal is the right
// field (by the sandbox's own field map), and what it cannot tell apart it leaves alone. Its three
// pop-ups are dismissed by the generic rules, without the adapters' per-pop-up selectors.

const KINDS: Partial<Record<keyof typeof ARDEN_FIELDS, TargetKind>> = { claimType: "select", category: "select", confirmAccuracy: "checkbox" };
const KNOBS = { maintenance: false, popupRate: 0, popupKinds: ["cookie_wall"] as Array<"cookie_wall" | "survey" | "session_expiry">, domDriftVersion: 0 as 0 | 1 | 2, lostResponseRate: 0, rejectRate: 0, lockoutAfter: 0 };

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

// ---------------------------------------------------------------------------------------------
// Drift 2: the sandbox's second redesign of every page (renamed ids, names and test ids, new
// button texts, a few relabelled fields, fieldset wrappers, two fields swapped per form, and a
// blocking service notice nobody told the adapters about). The adapters' own targets, as they
// declare them (kind, primary locator), are fingerprinted on the last good version — drift 0, or
// drift 1 as a portal redesigned twice would be — and resolved at drift 2 on the whole page, as
// the adapters do. Every heal must land on the element the sandbox's own field map says it is.

type From = 0 | 1;

interface DriftTarget {
  target: ActionTarget;
  /** The element's id per drift version, by the sandbox's own field map. */
  ids: { v0: string; v1: string; v2: string };
}

interface DriftOutcome {
  from: From;
  portal: string;
  page: string;
  id: string;
  outcome: "healed" | "primary" | MissKind;
  score: number | null;
  detail: string;
}

const outcomes: DriftOutcome[] = [];
const DRIFT2_KNOBS = { ...KNOBS, domDriftVersion: 2 };
const idsOf = (def: { v0: { id: string }; v1: { id: string }; v2: { id: string } }) => ({ v0: def.v0.id, v1: def.v1.id, v2: def.v2.id });
const at = (from: From): "v0" | "v1" => (from === 0 ? "v0" : "v1");

function signInTargets(signIn: PortalSignIn): DriftTarget[] {
  return [
    { target: signIn.username, ids: idsOf(LOGIN_FIELDS.username) },
    { target: signIn.password, ids: idsOf(LOGIN_FIELDS.password) },
    { target: signIn.submit, ids: idsOf(LOGIN_CONTROLS.submit) },
  ];
}

async function fingerprints(on: Page, targets: DriftTarget[], from: From): Promise<Map<string, ElementFingerprint>> {
  const stored = new Map<string, ElementFingerprint>();
  for (const t of targets) stored.set(t.target.id, await captureFingerprint(on.locator(`#${t.ids[at(from)]}`)));
  return stored;
}

/** Resolves each target at drift 2 and records the outcome; a heal onto the wrong element fails the test at once. */
async function resolveAll(from: From, portal: string, pageName: string, on: Page, targets: DriftTarget[], stored: Map<string, ElementFingerprint>): Promise<void> {
  for (const t of targets) {
    const result = await resolveTarget(on, t.target, stored.get(t.target.id)!, { primary: t.target.primary });
    if (result.status === "resolved") {
      expect({ target: t.target.id, id: result.fingerprint.id }).toEqual({ target: t.target.id, id: t.ids.v2 });
      outcomes.push({ from, portal, page: pageName, id: t.target.id, outcome: result.how === "healed" ? "healed" : "primary", score: result.score, detail: "" });
    } else {
      expect(["ambiguous", "not_found"]).toContain(result.kind);
      const best = result.ranking[0];
      outcomes.push({ from, portal, page: pageName, id: t.target.id, outcome: result.kind, score: best?.score ?? null, detail: `${result.detail} (best: ${best?.fingerprint.id ?? "none"} ${best?.score ?? ""})` });
    }
  }
}

/** Dismisses the drift-2 service notice by the generic rules: the acknowledge button, never the destructive one. */
async function dismissNotice(on: Page, acknowledge: string, destructive: string): Promise<void> {
  await on.getByRole("dialog").waitFor({ state: "visible", timeout: 3_000 });
  const dismissal = await dismissBlockingOverlay(on);
  expect(dismissal).toMatchObject({ action: "clicked", button: acknowledge, navigated: false });
  if (dismissal.action === "clicked") expect(dismissal.refused).toContain(destructive);
  expect(await dismissBlockingOverlay(on)).toEqual({ action: "none" });
  expect(await on.locator('[data-testid="signed-in-user"]').count()).toBe(1);
}

async function signIn(on: Page, oem: string, from: From): Promise<void> {
  await on.goto(`${sandbox.url}/portals/${oem}/login`);
  await on.locator(`#${LOGIN_FIELDS.username[at(from)].id}`).fill("nightshift");
  await on.locator(`#${LOGIN_FIELDS.password[at(from)].id}`).fill(`sandbox-${oem}-pass`);
  await Promise.all([on.waitForURL((url) => !url.pathname.endsWith("/login")), on.locator(`#${LOGIN_CONTROLS.submit[at(from)].id}`).click()]);
}

/** The sign-in page at drift 2, in a browser that is signed out. */
async function measureSignIn(from: From, oem: "arden" | "borealis" | "corvid", targets: DriftTarget[], stored: Map<string, ElementFingerprint>): Promise<void> {
  const context = await browser.newContext();
  try {
    const fresh = await context.newPage();
    await fresh.goto(`${sandbox.url}/portals/${oem}/login`);
    await resolveAll(from, oem, "sign-in", fresh, targets, stored);
  } finally {
    await context.close();
  }
}

const FROM: readonly From[] = [0, 1];

describe("healing the sandbox's drift-2 redesign from the last good version's fingerprints", () => {
  it.each(FROM)("Arden from drift %i: heals the sign-in and claim form, each to the right element, and dismisses the notice with its acknowledge button", async (from) => {
    const context = await browser.newContext();
    const knobs = { ...KNOBS, domDriftVersion: from };
    try {
      const on = await context.newPage();
      sandbox.setFaults({ portals: { arden: knobs } });
      const loginTargets = signInTargets(ARDEN_SIGN_IN);
      await on.goto(`${sandbox.url}/portals/arden/login`);
      const loginStored = await fingerprints(on, loginTargets, from);
      await signIn(on, "arden", from);
      const claimTargets: DriftTarget[] = [
        ...(Object.keys(ARDEN_FIELDS) as (keyof typeof ARDEN_FIELDS)[]).map((key) => ({ target: ARDEN[key], ids: idsOf(ARDEN_FIELDS[key]) })),
        { target: ARDEN.submit, ids: idsOf(ARDEN_CONTROLS.submit) },
      ];
      await on.goto(`${sandbox.url}/portals/arden/claims/new`);
      const claimStored = await fingerprints(on, claimTargets, from);

      sandbox.setFaults({ portals: { arden: DRIFT2_KNOBS } });
      await measureSignIn(from, "arden", loginTargets, loginStored);
      await on.goto(`${sandbox.url}/portals/arden/claims/new`);
      await dismissNotice(on, "Got it", "Sign out");
      await resolveAll(from, "arden", "claim form", on, claimTargets, claimStored);
    } finally {
      await context.close();
      sandbox.setFaults({ portals: { arden: KNOBS } });
    }
  });

  it.each(FROM)("Borealis from drift %i: heals the sign-in and the four wizard steps, each to the right element, and never discards the draft", async (from) => {
    const context = await browser.newContext();
    const knobs = { ...KNOBS, domDriftVersion: from };
    const v = at(from);
    try {
      const on = await context.newPage();
      sandbox.setFaults({ portals: { borealis: knobs } });
      const loginTargets = signInTargets(BOREALIS_SIGN_IN);
      await on.goto(`${sandbox.url}/portals/borealis/login`);
      const loginStored = await fingerprints(on, loginTargets, from);
      await signIn(on, "borealis", from);
      const F = BOREALIS_FIELDS;
      const field = (k: keyof typeof F): DriftTarget => ({ target: BOREALIS[k], ids: idsOf(F[k]) });
      const next = { target: BOREALIS.next, ids: idsOf(BOREALIS_CONTROLS.next) };
      const steps: Array<{ name: string; targets: DriftTarget[] }> = [
        { name: "wizard step 1", targets: [...(["caseReference", "submissionType", "serialNumber"] as const).map(field), next] },
        { name: "wizard step 2", targets: [...(["engineHours", "eventDate", "category", "details", "contactName", "contactPhone"] as const).map(field), next] },
        { name: "wizard step 3", targets: [field("document"), next] },
        { name: "wizard step 4", targets: [field("declaration"), { target: BOREALIS.submit, ids: idsOf(BOREALIS_CONTROLS.submit) }] },
      ];
      // The last good version: fingerprint each step, then fill it and go on (the draft lives in the session).
      const el = (k: keyof typeof F) => on.locator(`#${F[k][v].id}`);
      await on.goto(`${sandbox.url}/portals/borealis/submission/start`);
      const stored: Array<Map<string, ElementFingerprint>> = [];
      const fills: Array<() => Promise<void>> = [
        async () => {
          await el("caseReference").fill("NS-2026-00990");
          await el("submissionType").selectOption("warranty_claim");
          await el("serialNumber").fill("BM-EX2-004512");
        },
        async () => {
          await el("engineHours").fill("1200");
          await el("eventDate").fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
          await el("category").selectOption("hydraulics");
          await el("details").fill("Hydraulic hose burst under load; replaced hose and fittings.");
          await el("contactName").fill("Ines Moreau");
          await el("contactPhone").fill("+1 555 010 2030");
        },
        async () => {
          await el("document").setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%test\n") });
        },
      ];
      for (const [index, step] of steps.entries()) {
        stored.push(await fingerprints(on, step.targets, from));
        const fill = fills[index];
        if (fill) {
          await fill();
          await Promise.all([on.waitForURL(new RegExp(`/step/${index + 2}$`)), on.locator(`#${BOREALIS_CONTROLS.next[v].id}`).click()]);
        }
      }

      sandbox.setFaults({ portals: { borealis: DRIFT2_KNOBS } });
      await measureSignIn(from, "borealis", loginTargets, loginStored);
      for (const [index, step] of steps.entries()) {
        await on.goto(`${sandbox.url}/portals/borealis/submission/step/${index + 1}`);
        if (index === 0) await dismissNotice(on, "I understand", "Discard draft");
        await resolveAll(from, "borealis", step.name, on, step.targets, stored[index]!);
      }
      // The draft survived: step 4 is still reachable, nothing was discarded.
      expect(new URL(on.url()).pathname).toBe("/portals/borealis/submission/step/4");
    } finally {
      await context.close();
      sandbox.setFaults({ portals: { borealis: KNOBS } });
    }
  });

  it.each(FROM)("Corvid from drift %i: heals the sign-in, the report form and the confirm dialog, each to the right element", async (from) => {
    const context = await browser.newContext();
    const knobs = { ...KNOBS, domDriftVersion: from };
    try {
      const on = await context.newPage();
      sandbox.setFaults({ portals: { corvid: knobs } });
      const loginTargets = signInTargets(CORVID_SIGN_IN);
      await on.goto(`${sandbox.url}/portals/corvid/login`);
      const loginStored = await fingerprints(on, loginTargets, from);
      await signIn(on, "corvid", from);
      const unit = "CI-4821-0093";
      sandbox.state.corvidUnits.set(unit, { id: unit, model: "Corvid Centra X Centrifuge", site: "Northfield Lab", installedOn: "2024-03-01" });
      const formTargets: DriftTarget[] = [
        ...(Object.keys(CORVID_FIELDS) as (keyof typeof CORVID_FIELDS)[]).map((key) => ({ target: CORVID[key], ids: idsOf(CORVID_FIELDS[key]) })),
        { target: CORVID.review, ids: idsOf(CORVID_CONTROLS.review) },
      ];
      const confirmTargets: DriftTarget[] = [{ target: CORVID.confirm, ids: idsOf(CORVID_CONTROLS.confirm) }];
      await on.goto(`${sandbox.url}/portals/corvid/units/${unit}`);
      const formStored = await fingerprints(on, formTargets, from);
      await on.locator(`#${CORVID_CONTROLS.review[at(from)].id}`).click();
      await on.locator(`#${CORVID_CONTROLS.dialog[at(from)].id}`).waitFor({ state: "visible" });
      const confirmStored = await fingerprints(on, confirmTargets, from);

      sandbox.setFaults({ portals: { corvid: DRIFT2_KNOBS } });
      await measureSignIn(from, "corvid", loginTargets, loginStored);
      await on.goto(`${sandbox.url}/portals/corvid/units/${unit}`);
      await dismissNotice(on, "Acknowledge", "Sign out now");
      await resolveAll(from, "corvid", "report form", on, formTargets, formStored);
      const review = outcomes.find((o) => o.from === from && o.id === CORVID.review.id);
      if (review?.outcome === "healed") {
        await on.locator(`#${CORVID_CONTROLS.review.v2.id}`).click();
        await on.getByRole("dialog").waitFor({ state: "visible" });
        await resolveAll(from, "corvid", "confirm dialog", on, confirmTargets, confirmStored);
      } else {
        outcomes.push({ from, portal: "corvid", page: "confirm dialog", id: CORVID.confirm.id, outcome: "not_found", score: null, detail: "the review button did not heal, so the dialog was never opened" });
      }
    } finally {
      await context.close();
      sandbox.setFaults({ portals: { corvid: KNOBS } });
    }
  });

  it.each(FROM)("heals at least 90 %% of the adapters' targets at drift 2 from drift %i deterministically", (from) => {
    const mine = outcomes.filter((o) => o.from === from);
    const healed = mine.filter((o) => o.outcome === "healed" || o.outcome === "primary");
    const lines = mine.map((o) => `${o.outcome === "healed" ? "healed " : o.outcome.padEnd(7)} ${o.portal.padEnd(8)} ${o.page.padEnd(15)} ${o.id.padEnd(36)} ${o.score ?? ""} ${o.detail}`);
    console.log(`drift ${from} → 2: ${healed.length} of ${mine.length} targets resolved\n${lines.join("\n")}`);
    expect(mine.length).toBeGreaterThanOrEqual(44);
    expect(healed.length / mine.length).toBeGreaterThanOrEqual(0.9);
  });
});
