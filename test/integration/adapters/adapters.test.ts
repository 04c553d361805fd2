import { randomUUID } from "node:crypto";
import { chromium, type Browser, type Page } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdapterContext, AdapterResult, PortalAdapter } from "@/jobs/automation/adapter";
import { portalAdapters } from "@/jobs/automation/adapters";
import { formDataOf } from "@/lib/cases/upsert-case";
import { crmCaseSchema } from "@/lib/crm/types";
import type { CaseForSubmission } from "@/lib/domain/types";
import { HealingSession } from "@/jobs/automation/healing/session";
import { loadReplayState } from "@/lib/healing/store";
import { syncOems } from "@/lib/oems/catalog";
import { type AttemptError, AwaitingApprovalError, PopupBlockedError, PortalAuthError, PortalRejectedError, PortalUnavailableError } from "@/lib/runs/errors";
import type { FaultsPatch } from "@/sandbox/faults";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { wrongFilings } from "../../support/filed-correctly";
import { approveProposedHeals } from "../../support/heals";
import { trackResource } from "../../support/resources";

// Real Chromium against a real sandbox, with replay and healing on a real Postgres: each portal
// adapter files, finds its own filings, maps the portal's refusals to typed errors, gets rid of
// pop-ups it was never told about, heals DOM drift (held for approval, then filed), and never
// files twice.

type Oem = "arden" | "borealis" | "corvid";
type PortalKnobs = NonNullable<NonNullable<FaultsPatch["portals"]>["arden"]>;

const CRM_TOKEN = "sandbox-crm-token";
const OEMS: readonly Oem[] = ["arden", "borealis", "corvid"];
const CALM: PortalKnobs = { maintenance: false, popupRate: 0, popupKinds: ["cookie_wall", "survey", "session_expiry"], domDriftVersion: 0, lostResponseRate: 0, rejectRate: 0, lockoutAfter: 0 };

/** Per portal: a case the portal accepts, seed-like bad data and its refusal, the confirmation format. */
const PORTALS: Record<Oem, { kind: string; unitId: string; badUnitId: string; refusal: { message: RegExp; field: string }; confirmation: RegExp }> = {
  arden: {
    kind: "warranty_claim",
    unitId: "1AR4JBW5TGFF995P6",
    badUnitId: "1AR4JBW5TGFF9O5P6", // contains an O
    refusal: { message: /^Invalid VIN: must be 17 characters \(letters and digits, no I, O or Q\)$/, field: "vin" },
    confirmation: /^ARD-[A-HJ-NP-Z2-9]{6}$/,
  },
  borealis: {
    kind: "emissions_report",
    unitId: "BM-EX2-004512",
    badUnitId: "BM-EX2-4512", // too few digits
    refusal: { message: /^Invalid serial number format — expected BM-XXX-NNNNNN \(e\.g\. BM-EX2-004512\)$/, field: "serialNumber" },
    confirmation: /^BOR-\d{8}$/,
  },
  corvid: {
    kind: "safety_incident",
    unitId: "CI-4821-0093",
    badUnitId: "CI-7310-552", // malformed, so never registered with Corvid
    refusal: { message: /^No instruments match “CI-7310-552”\. Instrument IDs look like CI-4821-0093\.$/, field: "unitId" },
    confirmation: /^CVD-[A-Z]{4}-\d{4}$/,
  },
};

let sandbox: Sandbox;
let browser: Browser;
let database: TestDatabase;
const untrack: Array<() => void> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  sandbox = await startSandbox({ port: 0, seed: false });
  untrack.push(trackResource("sandbox"));
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  untrack.push(trackResource("chromium"));
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  await database?.destroy();
  for (const done of untrack) done();
});

function knobs(oem: Oem, patch: PortalKnobs) {
  sandbox.setFaults({ portals: { [oem]: patch } });
}

async function createCase(oem: Oem, overrides: Record<string, unknown> = {}): Promise<CaseForSubmission> {
  const headers = { authorization: `Bearer ${CRM_TOKEN}`, "content-type": "application/json" };
  const created = await fetch(`${sandbox.url}/crm/api/cases`, {
    method: "POST",
    headers,
    body: JSON.stringify({ oem, kind: PORTALS[oem].kind, unitId: PORTALS[oem].unitId, ...overrides }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const fetched = await fetch(`${sandbox.url}/crm/api/cases/${id}`, { headers });
  const crmCase = crmCaseSchema.parse(await fetched.json());
  return {
    id: randomUUID(),
    crmId: crmCase.id,
    reference: crmCase.reference,
    oemId: crmCase.oem,
    oemLabel: oem,
    kind: crmCase.kind,
    formData: formDataOf(crmCase),
    redactionSensitive: crmCase.redactionSensitive,
  };
}

async function filingsOf(reference: string): Promise<Array<{ confirmationNumber: string; document: unknown }>> {
  const res = await fetch(`${sandbox.url}/sandbox/admin/filings?reference=${encodeURIComponent(reference)}`);
  return ((await res.json()) as { filings: Array<{ confirmationNumber: string; document: unknown }> }).filings;
}

interface AttemptRecord {
  result: AdapterResult | null;
  error: unknown;
  steps: string[];
  submitClicked: boolean;
  warnings: Array<Record<string, unknown>>;
  healing: HealingSession["report"] | null;
}

interface AttemptOptions {
  password?: string;
  submitClickedBefore?: boolean;
  /** Runs on the fresh page before the adapter (e.g. to watch requests). */
  prepare?: (page: Page) => Promise<void>;
}

/** One attempt the way the runner makes it: a fresh context, named steps, secrets filled apart. */
async function attempt(c: CaseForSubmission, options: AttemptOptions = {}): Promise<AttemptRecord> {
  const adapter: PortalAdapter | undefined = portalAdapters[c.oemId];
  if (!adapter) throw new Error(`no adapter for ${c.oemId}`);
  const record: AttemptRecord = { result: null, error: null, steps: [], submitClicked: false, warnings: [], healing: null };
  const log = pino({ level: "warn" }, { write: (line: string) => void record.warnings.push(JSON.parse(line) as Record<string, unknown>) });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    page.setDefaultNavigationTimeout(10_000);
    await options.prepare?.(page);
    const state = await loadReplayState(database.db, { oemId: c.oemId, adapterVersion: adapter.version });
    const healing = new HealingSession(page, { db: database.db, log, oemId: c.oemId, adapterVersion: adapter.version, runId: null, attemptId: null, state, dryRun: false, saveScreenshot: () => Promise.resolve(null) });
    const ctx: AdapterContext = {
      page,
      case: c,
      portalUrl: `${sandbox.url}/portals/${c.oemId}`,
      credentials: { username: "nightshift", password: options.password ?? `sandbox-${c.oemId}-pass` },
      step: async (name, fn) => {
        record.steps.push(name);
        healing.step = name;
        return fn();
      },
      healing,
      fillSecret: (locator, secret) => locator.fill(secret),
      markSubmitClicked: async () => {
        await healing.gate();
        record.submitClicked = true;
      },
      loadAttachment: async () => {
        const res = await fetch(`${sandbox.url}/crm/api/cases/${c.crmId}/attachment.pdf`, { headers: { authorization: `Bearer ${CRM_TOKEN}` } });
        return { fileName: `${c.crmId}.pdf`, contentType: res.headers.get("content-type") ?? "application/pdf", body: Buffer.from(await res.arrayBuffer()) };
      },
      submitClickedBefore: options.submitClickedBefore ?? false,
      log,
    };
    try {
      record.result = await adapter.submit(ctx);
      await healing.finish("submitted");
    } catch (error) {
      record.error = error;
      await healing.finish(error instanceof AwaitingApprovalError ? "held" : "failed");
    }
    record.healing = healing.report;
  } finally {
    await context.close();
  }
  return record;
}

function expectFiled(record: AttemptRecord, oem: Oem): string {
  expect(record.error).toBeNull();
  expect(record.result?.alreadyFiled).toBe(false);
  expect(record.result?.confirmationNumber).toMatch(PORTALS[oem].confirmation);
  return record.result!.confirmationNumber;
}

const SCENARIOS: Array<[name: string, run: (oem: Oem) => Promise<void>]> = [
  [
    "files a case once, and a second submit of it finds the filing instead of filing again",
    async (oem) => {
      const c = await createCase(oem);
      const first = await attempt(c);
      const confirmation = expectFiled(first, oem);
      expect(first.submitClicked).toBe(true);
      expect(first.steps[0]).toBe("login");
      expect(first.steps.slice(-2)).toEqual(["submit", "capture_confirmation"]);
      const filings = await filingsOf(c.reference);
      expect(filings.map((f) => f.confirmationNumber)).toEqual([confirmation]);
      if (oem === "borealis") expect(filings[0]?.document).toMatchObject({ contentType: "application/pdf" });

      const second = await attempt(c);
      expect(second.error).toBeNull();
      expect(second.result).toEqual({ confirmationNumber: confirmation, alreadyFiled: true });
      expect(second.steps).toEqual(["login", "check_existing"]);
      expect(second.submitClicked).toBe(false);
      expect(await filingsOf(c.reference)).toHaveLength(1);
    },
  ],
  [
    "reports the portal's refusal of a bad unit id as portal_rejected with the portal's message",
    async (oem) => {
      const c = await createCase(oem, { unitId: PORTALS[oem].badUnitId });
      const record = await attempt(c);
      expect(record.error).toBeInstanceOf(PortalRejectedError);
      const error = record.error as PortalRejectedError;
      expect(error.errorClass).toBe("portal_rejected");
      expect(error.code).toBe("field_invalid");
      expect(error.field).toBe(PORTALS[oem].refusal.field);
      expect(error.message).toMatch(PORTALS[oem].refusal.message);
      expect(await filingsOf(c.reference)).toHaveLength(0);
    },
  ],
  [
    "turns a refused password into an auth error without reaching the form",
    async (oem) => {
      const c = await createCase(oem);
      const record = await attempt(c, { password: "not-the-password" });
      expect(record.error).toBeInstanceOf(PortalAuthError);
      expect((record.error as PortalAuthError).code).toBe("login_refused");
      expect((record.error as Error).message).toBe("Invalid username or password");
      expect(record.steps).toEqual(["login"]);
    },
  ],

  ...(["cookie_wall", "survey"] as const).map((kind): [string, (oem: Oem) => Promise<void>] => [
    `dismisses a ${kind} on every page and files`,
    async (oem) => {
        knobs(oem, { popupRate: 1, popupKinds: [kind] });
        const c = await createCase(oem);
        expectFiled(await attempt(c), oem);
        expect(await filingsOf(c.reference)).toHaveLength(1);
    },
  ]),

  [
    "continues an expiring session, re-fills the reloaded page and files",
    async (oem) => {
      knobs(oem, { popupRate: 1, popupKinds: ["session_expiry"] });
      const c = await createCase(oem);
      let continued = 0;
      const record = await attempt(c, {
        // At rate 1 the interstitial would come back after every reload: stop it once it was continued.
        prepare: async (page) => {
          await page.route("**/session/continue", async (route) => {
            continued += 1;
            knobs(oem, { popupRate: 0 });
            await route.continue();
          });
        },
      });
      expectFiled(record, oem);
      expect(continued).toBe(1);
      expect(await filingsOf(c.reference)).toHaveLength(1);
    },
  ],
  [
    "heals DOM drift 1 with no fallback selectors, holds the final submit until the heal is approved, then files once",
    async (oem) => {
      // The first scenario filed on this portal at drift 0: its fingerprints are the last good state.
      knobs(oem, { domDriftVersion: 1 });
      const c = await createCase(oem);
      const held = await attempt(c);
      expect(held.error).toBeInstanceOf(AwaitingApprovalError);
      expect(held.submitClicked).toBe(false);
      expect(held.healing?.healed).toBeGreaterThan(0);
      expect(await filingsOf(c.reference)).toHaveLength(0);

      await approveProposedHeals(database.db, oem);
      const filed = await attempt(c);
      expectFiled(filed, oem);
      expect(filed.healing?.healed).toBe(0);
      expect(filed.healing?.cacheHits).toBeGreaterThan(0);
      const [filing] = await filingsOf(c.reference);
      expect(filing?.confirmationNumber).toBe(filed.result?.confirmationNumber);
      expect(await filingsOf(c.reference)).toHaveLength(1);
    },
  ],
  [
    "heals DOM drift 2 (a second redesign and an unknown notice) with no fallback selectors, holds the final submit until the heal is approved, then files the case's data once",
    async (oem) => {
      // Healed from the last good state (the drift-1 filing above); the notice is dismissed by the generic rules.
      knobs(oem, { domDriftVersion: 2 });
      const c = await createCase(oem);
      const held = await attempt(c);
      expect(held.error).toBeInstanceOf(AwaitingApprovalError);
      expect(held.submitClicked).toBe(false);
      expect(held.healing?.healed).toBeGreaterThan(0);
      expect(held.healing?.overlaysDismissed).toBeGreaterThan(0);
      expect(held.healing?.llmCalls).toBe(0);
      expect(await filingsOf(c.reference)).toHaveLength(0);

      await approveProposedHeals(database.db, oem);
      const filed = await attempt(c);
      expectFiled(filed, oem);
      expect(filed.healing?.healed).toBe(0);
      const filings = await filingsOf(c.reference);
      expect(filings.map((f) => f.confirmationNumber)).toEqual([filed.result?.confirmationNumber]);
      // Not a wrong filing: every field the portal stored is the case's own data, in its own field.
      expect(await wrongFilings(sandbox.url, [c])).toEqual([]);
    },
  ],
  [
    "after a lost submit response, the retry finds the stored filing and does not file twice",
    async (oem) => {
      knobs(oem, { lostResponseRate: 1 });
      const c = await createCase(oem);
      const lost = await attempt(c);
      expect(lost.submitClicked).toBe(true);
      expect(lost.error).toBeInstanceOf(PortalUnavailableError);
      expect((lost.error as AttemptError).code).toBe("http_502");
      const [stored] = await filingsOf(c.reference);

      knobs(oem, { lostResponseRate: 0 });
      const retry = await attempt(c, { submitClickedBefore: true });
      expect(retry.result).toEqual({ confirmationNumber: stored?.confirmationNumber, alreadyFiled: true });
      expect(await filingsOf(c.reference)).toHaveLength(1);
    },
  ],
];

/** Single-portal cases: the scenarios above cannot show these on every portal, or need not. */
const EDGE_CASES: Array<[oem: Oem, name: string, run: () => Promise<void>]> = [
  [
    "arden",
    "gives up with a site_popup error when the session-expiry interstitial returns after every continue",
    async () => {
      knobs("arden", { popupRate: 1, popupKinds: ["session_expiry"] });
      const record = await attempt(await createCase("arden"));
      expect(record.error).toBeInstanceOf(PopupBlockedError);
      expect((record.error as AttemptError).errorClass).toBe("site_popup");
    },
  ],
  [
    "borealis",
    "reports a locked account as account_locked",
    async () => {
      knobs("borealis", { lockoutAfter: 1 });
      try {
        const record = await attempt(await createCase("borealis"), { password: "wrong" });
        expect(record.error).toBeInstanceOf(PortalAuthError);
        expect((record.error as AttemptError).code).toBe("account_locked");
      } finally {
        await fetch(`${sandbox.url}/sandbox/admin/portals/borealis/unlock`, { method: "POST" });
      }
    },
  ],
  [
    "corvid",
    "maps a maintenance page to a retryable http_503",
    async () => {
      knobs("corvid", { maintenance: true });
      const record = await attempt(await createCase("corvid"));
      expect(record.error).toBeInstanceOf(PortalUnavailableError);
      expect((record.error as AttemptError).code).toBe("http_503");
    },
  ],
  [
    "corvid",
    "reports the refusal of an incident date in the future after confirming the dialog",
    async () => {
      const future = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
      const record = await attempt(await createCase("corvid", { unitId: "CI-4821-0117", incidentDate: future }));
      expect(record.error).toBeInstanceOf(PortalRejectedError);
      expect(record.error).toMatchObject({ field: "eventDate", message: "Event date cannot be in the future" });
      expect(record.submitClicked).toBe(true);
    },
  ],
];

// Knobs are per portal, so tests of one portal run one at a time while the three portals run side
// by side (tests are registered round-robin so the concurrent slots spread over the portals).
const portalQueues = new Map<Oem, Promise<void>>();

async function onPortal(oem: Oem, run: () => Promise<void>): Promise<void> {
  const previous = portalQueues.get(oem) ?? Promise.resolve();
  let release = () => {};
  portalQueues.set(oem, previous.then(() => new Promise<void>((resolve) => (release = resolve))));
  await previous;
  try {
    await run();
  } finally {
    sandbox.setFaults({ portals: { [oem]: CALM } });
    release();
  }
}

describe.concurrent("portal adapters", () => {
  for (const [name, run] of SCENARIOS) for (const oem of OEMS) it(`${oem}: ${name}`, () => onPortal(oem, () => run(oem)));
  for (const [oem, name, run] of EDGE_CASES) it(`${oem}: ${name}`, () => onPortal(oem, run));
});
