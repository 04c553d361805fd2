import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { ARDEN_CONTROLS, ARDEN_FIELDS } from "../../../sandbox/portals/arden/selectors.js";
import { BOREALIS_ACTION, BOREALIS_CONTROLS, BOREALIS_FIELDS } from "../../../sandbox/portals/borealis/selectors.js";
import { MFA_FIELD, MFA_FORM, MFA_SUBMIT } from "../../../sandbox/portals/common.js";
import { FILINGS_CONTROLS, FILINGS_FIELDS, LOGIN_CONTROLS, LOGIN_FIELDS, LOGIN_RETURN_TO, NAV_CONTROLS } from "../../../sandbox/portals/common-selectors.js";
import { CORVID_CONFIRMED, CORVID_CONTROLS, CORVID_FIELDS, CORVID_SEARCH } from "../../../sandbox/portals/corvid/selectors.js";
import type { ControlDef, FieldDef } from "../../../sandbox/portals/fields.js";
import { codeAt } from "../../../sandbox/portals/totp.js";
import type { FaultsPatch } from "../../../sandbox/faults.js";
import type { Filing } from "../../../sandbox/state.js";
import { trackResource } from "../../support/resources.js";
import { admin, byTestId, crm, PortalClient, startTestSandbox, UNITS, yesterday, type CaseBody, type PageResponse } from "./helpers.js";

// DOM drift 2, the sandbox's second redesign (sandbox/README.md, "DOM drift 2"): every page of the
// three portals renders drift-2 markup with none of the drift-0 or drift-1 ids, names, test ids or
// button texts left; a form posted with the drift-2 names files exactly what the same form files
// at drift 0, an old form (drift-0 names) is refused; and the blocking service notice on the form
// pages stops clicks until it is acknowledged, then stays dismissed for the browser session.

type Oem = "arden" | "borealis" | "corvid";
const OEMS: readonly Oem[] = ["arden", "borealis", "corvid"];
const FIELDS: Record<Oem, Record<string, FieldDef>> = {
  arden: ARDEN_FIELDS,
  borealis: { ...BOREALIS_FIELDS, action: BOREALIS_ACTION },
  corvid: { ...CORVID_FIELDS, confirmed: CORVID_CONFIRMED, query: CORVID_SEARCH.query },
};
const CONTROLS: Record<Oem, Record<string, ControlDef>> = { arden: ARDEN_CONTROLS, borealis: BOREALIS_CONTROLS, corvid: CORVID_CONTROLS };
const COMMON_FIELDS: FieldDef[] = [...Object.values(LOGIN_FIELDS), LOGIN_RETURN_TO, MFA_FIELD, ...Object.values(FILINGS_FIELDS)];
const COMMON_CONTROLS: ControlDef[] = [...Object.values(LOGIN_CONTROLS), ...Object.values(FILINGS_CONTROLS), ...Object.values(NAV_CONTROLS)];
const NOTICE = {
  arden: { title: "Planned maintenance on Saturday", acknowledge: "Got it", destructive: "Sign out" },
  borealis: { title: "Emissions reporting changes from 1 January", acknowledge: "I understand", destructive: "Discard draft" },
  corvid: { title: "Field safety reports: new review process", acknowledge: "Acknowledge", destructive: "Sign out now" },
} as const;

/** The ids, names and test ids of drift 0 and 1 that drift 2 renamed (everything the field maps list). */
function oldIdentifiers(oem: Oem): string[] {
  const out = new Set<string>();
  for (const def of [...COMMON_FIELDS, ...Object.values(FIELDS[oem])]) {
    for (const v of [def.v0, def.v1]) {
      if (v.id) out.add(v.id);
      if (v.name) out.add(v.name);
    }
  }
  for (const def of [...COMMON_CONTROLS, ...Object.values(CONTROLS[oem])]) for (const v of [def.v0, def.v1]) out.add(v.id);
  for (const id of [MFA_FORM.v0, MFA_SUBMIT.v0[0]]) out.add(id);
  return [...out];
}

/** The button and link texts of drift 0 and 1 that drift 2 reworded. */
function oldTexts(oem: Oem): string[] {
  const out = new Set<string>(["Sign in", MFA_SUBMIT.v0[1]]);
  for (const def of [...COMMON_CONTROLS, ...Object.values(CONTROLS[oem])]) for (const v of [def.v0, def.v1]) if (v.text && v.text !== def.v2.text) out.add(v.text);
  // The notice's own "Sign out" link is new on the page, not the header's old one (which now reads "Sign out of portal").
  out.delete(NOTICE[oem].destructive);
  return [...out];
}

/** Every place the page still carries an old id, name, test id, label target or button/link text. */
function leftovers(oem: Oem, page: PageResponse): string[] {
  const found: string[] = [];
  for (const old of oldIdentifiers(oem)) {
    for (const attribute of ["id", "name", "data-testid", "for"]) if (page.html.includes(`${attribute}="${old}"`)) found.push(`${attribute}="${old}"`);
  }
  for (const text of oldTexts(oem)) {
    const escaped = text.replace(/&/g, "&amp;");
    for (const closing of ["</button>", "</a>"]) if (page.html.includes(`>${escaped}${closing}`)) found.push(`>${text}${closing}`);
  }
  return found;
}

let sandbox: Sandbox;
let pdf: Buffer;
const cases = {} as Record<Oem, CaseBody & { incidentDate: string; description: string; usage: { value: number }; category: string; contact: { name: string; email: string; phone: string } }>;
const scanned: Array<{ oem: Oem; page: string; response: PageResponse }> = [];

function scan(oem: Oem, page: string, response: PageResponse): PageResponse {
  scanned.push({ oem, page, response });
  return response;
}

const DRIFT = (version: 0 | 2): FaultsPatch => ({ portals: { arden: { domDriftVersion: version }, borealis: { domDriftVersion: version }, corvid: { domDriftVersion: version } } });

/** The values a case puts in each portal's form, by the form's logical keys. */
function formValues(oem: Oem): Record<string, string> {
  const c = cases[oem];
  const common = { caseReference: c.reference };
  switch (oem) {
    case "arden":
      return { ...common, claimType: c.kind, vin: c.unit.id, mileage: String(c.usage.value), failureDate: c.incidentDate, category: c.category, description: c.description, customerName: c.contact.name, customerEmail: c.contact.email, confirmAccuracy: "yes" };
    case "borealis":
      return { ...common, submissionType: c.kind, serialNumber: c.unit.id, engineHours: String(c.usage.value), eventDate: c.incidentDate, category: c.category, details: c.description, contactName: c.contact.name, contactPhone: c.contact.phone };
    case "corvid":
      return { ...common, reportType: c.kind, eventDate: c.incidentDate, category: c.category, cycleCount: String(c.usage.value), summary: c.description.slice(0, 500), reporterEmail: c.contact.email };
  }
}

/** The same values under one drift version's `name`s. */
function posted(oem: Oem, values: Record<string, string>, version: "v0" | "v2", keys: readonly string[] = Object.keys(values)): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [FIELDS[oem][key]![version].name, values[key] ?? ""]));
}

async function login(client: PortalClient, oem: Oem, version: "v0" | "v2" = "v2"): Promise<PageResponse> {
  return client.postForm(`/portals/${oem}/login`, {
    [LOGIN_FIELDS.username[version].name]: "nightshift",
    [LOGIN_FIELDS.password[version].name]: `sandbox-${oem}-pass`,
    [LOGIN_RETURN_TO[version].name]: `/portals/${oem}/`,
  });
}

/** Files the case's data through the portal's whole flow with one version's names; returns the filing. */
async function fileCase(client: PortalClient, oem: Oem, version: "v0" | "v2", record = false): Promise<Filing> {
  const values = formValues(oem);
  const keep = (page: string, response: PageResponse) => (record ? scan(oem, page, response) : response);
  let done: PageResponse;
  if (oem === "arden") {
    done = keep("confirmation page", await client.postForm("/portals/arden/claims", posted(oem, values, version)));
  } else if (oem === "borealis") {
    const action = BOREALIS_ACTION[version].name;
    keep("wizard step 1", await client.get("/portals/borealis/submission/start"));
    keep("wizard step 2", await client.postForm("/portals/borealis/submission/step/1", { ...posted(oem, values, version, ["caseReference", "submissionType", "serialNumber"]), [action]: "next" }));
    const step3 = await client.postForm("/portals/borealis/submission/step/2", { ...posted(oem, values, version, ["engineHours", "eventDate", "category", "details", "contactName", "contactPhone"]), [action]: "next" });
    keep("wizard step 3", step3);
    expect(new URL(step3.url).pathname).toBe("/portals/borealis/submission/step/3");
    const form = new FormData();
    form.set(action, "next");
    form.set(BOREALIS_FIELDS.document[version].name, new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), `${values.caseReference}.pdf`);
    const step4 = keep("wizard step 4", await client.postMultipart("/portals/borealis/submission/step/3", form));
    expect(new URL(step4.url).pathname).toBe("/portals/borealis/submission/step/4");
    done = keep("receipt page", await client.postForm("/portals/borealis/submission/step/4", { [BOREALIS_FIELDS.declaration[version].name]: "yes", [action]: "submit" }));
  } else {
    keep("instrument page", await client.get(`/portals/corvid/units/${cases.corvid.unit.id}`));
    done = keep("instrument page with the confirmation", await client.postForm(`/portals/corvid/units/${cases.corvid.unit.id}/reports`, { ...posted(oem, values, version), [CORVID_CONFIRMED[version].name]: "yes" }));
  }
  expect(done.status).toBe(200);
  const filing = sandbox.state.filings.at(-1);
  expect(filing).toBeDefined();
  expect(done.html).toContain(filing!.confirmationNumber);
  return filing!;
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const created = (oem: Oem, kind: string, unitId: string, category: string, usage: number) =>
    crm<CaseBody>(sandbox, "POST", "/cases", {
      body: { oem, kind, unitId, category, usage, incidentDate: yesterday(), description: `Drift-2 check for ${oem}: intermittent fault reproduced on the bench and repaired.`, contact: { name: "Amara Osei", email: "amara.osei@example.com", phone: "+1 555 010 7788" } },
    });
  for (const [oem, kind, unit, category, usage] of [
    ["arden", "warranty_claim", UNITS.arden, "electrical", 48213],
    ["borealis", "emissions_report", UNITS.borealis, "exhaust_aftertreatment", 1870],
    ["corvid", "safety_incident", UNITS.corvid, "mechanical_failure", 18250],
  ] as const) {
    const res = await created(oem, kind, unit, category, usage);
    expect(res.status).toBe(201);
    cases[oem] = res.body as (typeof cases)[Oem];
  }
  const res = await fetch(`${sandbox.url}/crm/api/cases/${cases.borealis.id}/attachment.pdf`, { headers: { authorization: "Bearer test-crm-token" } });
  pdf = Buffer.from(await res.arrayBuffer());
});

afterAll(async () => {
  await sandbox?.close();
});

describe("the domDriftVersion knob", () => {
  it("accepts 0, 1 and 2 and refuses anything else with a sentence", async () => {
    for (const version of [0, 1, 2]) {
      const res = await admin<{ portals: { arden: { domDriftVersion: number } } }>(sandbox, "PUT", "/admin/faults", { portals: { arden: { domDriftVersion: version } } });
      expect(res.status).toBe(200);
      expect(res.body.portals.arden.domDriftVersion).toBe(version);
    }
    for (const bad of [3, -1, 1.5]) {
      const res = await admin<{ error: { code: string; message: string } }>(sandbox, "PUT", "/admin/faults", { portals: { arden: { domDriftVersion: bad } } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/portals\.arden\.domDriftVersion: must be 0, 1 or 2/);
    }
    expect((await admin<{ portals: { arden: { domDriftVersion: number } } }>(sandbox, "GET", "/admin/faults")).body.portals.arden.domDriftVersion).toBe(2);
    sandbox.setFaults(DRIFT(0));
  });
});

describe("every page at drift 2", () => {
  it("renames every id, name and test id of the field maps, and every button and link text", () => {
    const kept: string[] = [];
    for (const oem of OEMS) {
      for (const def of [...COMMON_FIELDS, ...Object.values(FIELDS[oem])]) {
        for (const v of [def.v0, def.v1]) {
          if (v.id && v.id === def.v2.id) kept.push(`${oem} ${def.key} id ${v.id}`);
          if (v.name && v.name === def.v2.name) kept.push(`${oem} ${def.key} name ${v.name}`);
        }
      }
      for (const def of [...COMMON_CONTROLS, ...Object.values(CONTROLS[oem])]) {
        for (const v of [def.v0, def.v1]) {
          if (v.id === def.v2.id) kept.push(`${oem} control id ${v.id}`);
          if (v.text && v.text === def.v2.text) kept.push(`${oem} control text ${v.text}`);
        }
      }
      // Within a portal no drift-2 name is another field's older name (the server reads by name).
      const all = [...COMMON_FIELDS, ...Object.values(FIELDS[oem])];
      for (const def of all) for (const other of all) if (other !== def && [other.v0.name, other.v1.name].includes(def.v2.name)) kept.push(`${oem} ${def.key} reuses ${other.key}'s name`);
    }
    expect(kept).toEqual([]);
  });

  it.each(OEMS)("renders %s's pages in drift-2 markup, with no drift-0 or drift-1 id, name, test id or button text left", async (oem) => {
    sandbox.setFaults(DRIFT(2));
    try {
      const client = new PortalClient(sandbox.url);
      scan(oem, "sign-in page", await client.get(`/portals/${oem}/login`));
      scan(oem, "sign-in refused", await client.postForm(`/portals/${oem}/login`, { [LOGIN_FIELDS.username.v2.name]: "nightshift", [LOGIN_FIELDS.password.v2.name]: "wrong" }));
      scan(oem, "signed out", await client.get(`/portals/${oem}/login?loggedOut=1`));
      const home = await login(client, oem);
      expect(home.html).toContain('data-testid="signed-in-user"');
      scan(oem, "home", home);
      scan(oem, "filings (none yet)", await client.get(`/portals/${oem}/filings?reference=NS-2026-99999`));
      if (oem === "arden") {
        scan(oem, "claim form", await client.get("/portals/arden/claims/new"));
        scan(oem, "claim form with errors", await client.postForm("/portals/arden/claims", posted(oem, { ...formValues(oem), vin: "BAD" }, "v2")));
      }
      if (oem === "borealis") {
        await client.get("/portals/borealis/submission/start");
        scan(oem, "wizard step 1 with errors", await client.postForm("/portals/borealis/submission/step/1", { [BOREALIS_ACTION.v2.name]: "next" }));
      }
      if (oem === "corvid") {
        scan(oem, "instrument search", await client.get("/portals/corvid/units"));
        scan(oem, "instrument search results", await client.get(`/portals/corvid/units?${CORVID_SEARCH.query.v2.name}=${UNITS.corvid.slice(0, 7)}`));
        scan(oem, "instrument search, no match", await client.get(`/portals/corvid/units?${CORVID_SEARCH.query.v2.name}=CI-0000-0000`));
        scan(oem, "report form with errors", await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, posted(oem, { ...formValues(oem), eventDate: "2999-01-01" }, "v2")));
        scan(oem, "report not confirmed", await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, posted(oem, formValues(oem), "v2")));
      }
      const filing = await fileCase(client, oem, "v2", true);
      scan(oem, "filings with a row", await client.get(`/portals/${oem}/filings?reference=${filing.reference}`));
      if (oem === "borealis") {
        await client.get("/portals/borealis/submission/start");
        await client.postForm("/portals/borealis/submission/step/1", { ...posted(oem, formValues(oem), "v2", ["caseReference", "submissionType", "serialNumber"]), [BOREALIS_ACTION.v2.name]: "next" });
        scan(oem, "wizard step 2 with errors", await client.postForm("/portals/borealis/submission/step/2", { [BOREALIS_ACTION.v2.name]: "next" }));
      }

      const pages = scanned.filter((s) => s.oem === oem);
      expect(pages.length).toBeGreaterThanOrEqual(8);
      for (const { page, response } of pages) {
        expect({ page, version: /data-dom-version="(\d)"/.exec(response.html)?.[1] }).toEqual({ page, version: "2" });
        expect({ page, leftovers: leftovers(oem, response) }).toEqual({ page, leftovers: [] });
      }
      // What a real redesign keeps: the flow's URLs, option values, the confirmation format, and
      // the markers documented as stable (field-error keys, filings row attributes, progress bar).
      const byPage = (name: string) => pages.find((p) => p.page === name)!.response.html;
      expect(byPage("filings with a row")).toContain(`data-reference="${filing.reference}" data-confirmation-number="${filing.confirmationNumber}"`);
      expect(byPage("filings (none yet)")).toMatch(/No matching records for NS-2026-99999\./);
      const confirmation = { arden: /^ARD-[A-HJ-NP-Z2-9]{6}$/, borealis: /^BOR-\d{8}$/, corvid: /^CVD-[A-Z]{4}-\d{4}$/ }[oem];
      expect(filing.confirmationNumber).toMatch(confirmation);
      const errors = pages.find((p) => p.page.endsWith("with errors"))!.response;
      expect(errors.status).toBe(422);
      expect(errors.html).toContain('data-testid="form-errors"');
      expect(errors.html).toMatch(/data-testid="field-error-[a-zA-Z]+"/);
      if (oem === "arden") expect(byPage("claim form")).toContain('<option value="electrical">Electrical</option>');
      if (oem === "borealis") expect(byPage("wizard step 4")).toContain('ol class="steps" data-testid="wizard-steps"');
      if (oem === "corvid") expect(byPage("instrument search results")).toContain(`data-unit-id="${UNITS.corvid}"`);
    } finally {
      sandbox.setFaults(DRIFT(0));
    }
  });

  it("renders the one-time-code step in drift-2 markup and signs in with the drift-2 code field", async () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DP";
    const totpSandbox = await startTestSandbox({ portalTotp: { corvid: secret }, faults: DRIFT(2) });
    const untrack = trackResource("sandbox");
    try {
      const client = new PortalClient(totpSandbox.url);
      const codePage = await login(client, "corvid");
      expect(new URL(codePage.url).pathname).toBe("/portals/corvid/login/code");
      const wrong = await client.postForm("/portals/corvid/login/code", { [MFA_FIELD.v2.name]: "000000" });
      expect(wrong.status).toBe(401);
      for (const page of [codePage, wrong]) {
        expect(page.html).toContain(`id="${MFA_FORM.v2}"`);
        expect(leftovers("corvid", page)).toEqual([]);
      }
      const signedIn = await client.postForm("/portals/corvid/login/code", { [MFA_FIELD.v2.name]: codeAt(secret, Math.floor(Date.now() / 30_000)) });
      expect(signedIn.html).toContain('data-testid="signed-in-user"');
    } finally {
      await totpSandbox.close();
      untrack();
    }
  });
});

describe("forms posted at drift 2", () => {
  it.each(OEMS)("%s: the drift-2 names file exactly the data the drift-0 names file at drift 0", async (oem) => {
    const client = new PortalClient(sandbox.url);
    sandbox.setFaults(DRIFT(0));
    await login(client, oem, "v0");
    const before = await fileCase(client, oem, "v0");
    sandbox.setFaults(DRIFT(2));
    try {
      const after = await fileCase(client, oem, "v2");
      const same = (f: Filing) => ({ reference: f.reference, unitId: f.unitId, kind: f.kind, fields: f.fields, document: f.document?.sha256 ?? null });
      expect(same(after)).toEqual(same(before));
      const values = formValues(oem);
      expect(after).toMatchObject({ oem, reference: cases[oem].reference, unitId: cases[oem].unit.id, kind: cases[oem].kind });
      for (const [key, value] of Object.entries(values)) expect({ key, value: after.fields[key] }).toEqual({ key, value });
      // The same reference filed again: the portal accepts it and marks it (as at drift 0).
      expect(after.duplicateOf).not.toBeNull();
    } finally {
      sandbox.setFaults(DRIFT(0));
    }
  });

  it.each(OEMS)("%s: an old form (drift-0 names) posted at drift 2 is refused with field errors and files nothing", async (oem) => {
    const client = new PortalClient(sandbox.url);
    sandbox.setFaults(DRIFT(2));
    try {
      // Signing in with the old field names fails like a wrong password.
      const refused = await login(client, oem, "v0");
      expect(refused.status).toBe(401);
      expect(refused.html).toContain("Invalid username or password");
      await login(client, oem);
      const filings = sandbox.state.filings.length;
      const values = formValues(oem);
      let page: PageResponse;
      if (oem === "arden") page = await client.postForm("/portals/arden/claims", posted(oem, values, "v0"));
      else if (oem === "borealis") {
        await client.get("/portals/borealis/submission/start");
        page = await client.postForm("/portals/borealis/submission/step/1", { ...posted(oem, values, "v0", ["caseReference", "submissionType", "serialNumber"]), action: "next" });
      } else page = await client.postForm(`/portals/corvid/units/${UNITS.corvid}/reports`, { ...posted(oem, values, "v0"), confirmed: "yes" });
      expect(page.status).toBe(422);
      expect(byTestId(page.html, "field-error-caseReference")).toBe("Enter the case reference as NS-YYYY-NNNNN");
      expect(sandbox.state.filings.length).toBe(filings);
    } finally {
      sandbox.setFaults(DRIFT(0));
    }
  });

  it("keeps old search links working: ?reference= and ?q= still search at drift 2", async () => {
    const client = new PortalClient(sandbox.url);
    sandbox.setFaults(DRIFT(2));
    try {
      await login(client, "corvid");
      const units = await client.get(`/portals/corvid/units?q=${UNITS.corvid}`);
      expect(units.html).toContain(`data-unit-id="${UNITS.corvid}"`);
      const filings = await client.get(`/portals/corvid/filings?reference=${cases.corvid.reference}`);
      expect(filings.html).toContain(`data-reference="${cases.corvid.reference}"`);
    } finally {
      sandbox.setFaults(DRIFT(0));
    }
  });
});

describe("the drift-2 service notice", () => {
  const notice = 'data-testid="service-notice"';

  it("is on the form pages at drift 2 only, until the session cookie acknowledges this notice", async () => {
    const client = new PortalClient(sandbox.url);
    const formPages = { arden: "/portals/arden/claims/new", borealis: "/portals/borealis/submission/step/1", corvid: `/portals/corvid/units/${UNITS.corvid}` };
    sandbox.setFaults(DRIFT(2));
    try {
      for (const oem of OEMS) {
        await login(client, oem);
        const form = await client.get(formPages[oem]);
        expect({ oem, notice: form.html.includes(notice) }).toEqual({ oem, notice: true });
        expect(form.html).toMatch(/id="service-notice"[^>]*role="dialog" aria-modal="true" aria-labelledby="service-notice-title"/);
        expect(form.html).toContain(NOTICE[oem].title);
        // None of the known pop-ups' markup.
        for (const known of [`class="ns-overlay"`, `id="cookie-wall"`, `id="survey-modal"`, `id="session-expiry"`, "data-dismiss-overlay"]) expect(form.html).not.toContain(known);
        for (const other of [`/portals/${oem}/`, `/portals/${oem}/filings`]) expect((await client.get(other)).html).not.toContain(notice);
        const id = /data-notice-id="([^"]+)"/.exec(form.html)?.[1] ?? "";
        client.setCookie(`${oem}_notice_ack`, "an-older-notice");
        expect((await client.get(formPages[oem])).html).toContain(notice);
        client.setCookie(`${oem}_notice_ack`, id);
        expect((await client.get(formPages[oem])).html).not.toContain(notice);
      }
      sandbox.setFaults({ portals: { arden: { domDriftVersion: 1 } } });
      const fresh = new PortalClient(sandbox.url);
      await fresh.login("arden");
      expect((await fresh.get(formPages.arden)).html).not.toContain(notice);
    } finally {
      sandbox.setFaults(DRIFT(0));
    }
  });

  describe("in a browser", () => {
    let browser: Browser;
    let untrack: () => void = () => {};

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
      untrack = trackResource("chromium");
    });
    afterAll(async () => {
      await browser?.close();
      untrack();
    });

    async function signedInPage(oem: Oem) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${sandbox.url}/portals/${oem}/login`);
      await page.getByLabel("Username").fill("nightshift");
      await page.getByLabel("Password").fill(`sandbox-${oem}-pass`);
      await Promise.all([page.waitForURL((url) => !url.pathname.endsWith("/login")), page.locator('form button[type="submit"]').click()]);
      return { context, page };
    }

    it("blocks every click on the form until acknowledged, then stays dismissed for the browser session", async () => {
      sandbox.setFaults(DRIFT(2));
      try {
        const { context, page } = await signedInPage("arden");
        await page.goto(`${sandbox.url}/portals/arden/claims/new`);
        const dialog = page.getByRole("dialog", { name: NOTICE.arden.title });
        await expect(dialog.isVisible()).resolves.toBe(true);
        const reference = page.getByLabel("Case reference");
        // The overlay takes the click: Playwright sees another element receive it and gives up.
        await expect(reference.click({ timeout: 600 })).rejects.toThrow(/intercepts pointer events|Timeout/);
        const hit = await reference.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest("#service-notice") !== null;
        });
        expect(hit).toBe(true);
        await page.keyboard.press("Escape");
        await expect(dialog.isVisible()).resolves.toBe(true);

        await dialog.getByRole("button", { name: NOTICE.arden.acknowledge }).click();
        await expect(dialog.count()).resolves.toBe(0);
        await reference.fill("NS-2026-00555", { timeout: 2_000 });
        await page.reload();
        await expect(page.getByRole("dialog").count()).resolves.toBe(0);
        await expect(page.locator('[data-testid="signed-in-user"]').count()).resolves.toBe(1);
        await context.close();

        // A new browser session sees it again.
        const again = await signedInPage("arden");
        await again.page.goto(`${sandbox.url}/portals/arden/claims/new`);
        await expect(again.page.getByRole("dialog", { name: NOTICE.arden.title }).isVisible()).resolves.toBe(true);
        await again.context.close();
      } finally {
        sandbox.setFaults(DRIFT(0));
      }
    });

    it("has a destructive secondary action that really is one (Arden signs out, Borealis discards the draft)", async () => {
      sandbox.setFaults(DRIFT(2));
      try {
        const arden = await signedInPage("arden");
        await arden.page.goto(`${sandbox.url}/portals/arden/claims/new`);
        await Promise.all([arden.page.waitForURL(/\/login\?loggedOut=1$/), arden.page.getByRole("link", { name: NOTICE.arden.destructive, exact: true }).click()]);
        await arden.context.close();

        const borealis = await signedInPage("borealis");
        await borealis.page.goto(`${sandbox.url}/portals/borealis/submission/start`);
        await borealis.page.getByRole("button", { name: NOTICE.borealis.acknowledge }).click();
        await borealis.page.getByLabel("Case reference").fill("NS-2026-00556");
        await borealis.page.getByLabel("Type of submission").selectOption("warranty_claim");
        await borealis.page.getByLabel("Machine serial number").fill(UNITS.borealis);
        await Promise.all([borealis.page.waitForURL(/\/step\/2$/), borealis.page.getByRole("button", { name: "Save and continue" }).click()]);
        // A new session's notice, over a draft whose step 1 is filled in.
        await borealis.context.clearCookies({ name: "borealis_notice_ack" });
        await borealis.page.goto(`${sandbox.url}/portals/borealis/submission/step/1`);
        await expect(borealis.page.getByLabel("Case reference").inputValue()).resolves.toBe("NS-2026-00556");
        await Promise.all([
          borealis.page.waitForResponse((res) => new URL(res.url()).pathname === "/portals/borealis/submission/start"),
          borealis.page.getByRole("button", { name: NOTICE.borealis.destructive }).click(),
        ]);
        await borealis.page.waitForLoadState("domcontentloaded");
        await expect(borealis.page.getByLabel("Case reference").inputValue()).resolves.toBe("");
        await borealis.context.close();
      } finally {
        sandbox.setFaults(DRIFT(0));
      }
    });
  });
});
