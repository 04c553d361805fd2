import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, byTestId, crm, PortalClient, startTestSandbox, UNITS, yesterday, type CaseBody } from "./helpers.js";

describe("sandbox admin API", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ seed: true });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it("reports health", async () => {
    const res = await admin<{ ok: boolean; cases: number }>(sandbox, "GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, cases: 36 });
  });

  it("seeds 36 realistic cases across the three OEMs, some redaction-sensitive, some already filed", async () => {
    const res = await crm<{ cases: CaseBody[] }>(sandbox, "GET", "/cases?limit=500");
    const cases = res.body.cases;
    expect(cases).toHaveLength(36);
    for (const oem of ["arden", "borealis", "corvid"]) expect(cases.filter((c) => c.oem === oem)).toHaveLength(12);
    expect(cases.filter((c) => c.redactionSensitive).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => c.status === "submitted")).toHaveLength(6);
    expect(cases.filter((c) => c.status === "new").length).toBeGreaterThanOrEqual(24);
    const filings = await admin<{ filings: unknown[] }>(sandbox, "GET", "/admin/filings");
    expect(filings.body.filings).toHaveLength(9);
  });

  it("seeds data the portals refuse: a bad VIN, a bad serial, a future date and an unknown instrument", async () => {
    const all = sandbox.state.cases;
    expect(all.get("CRM-000104")?.unit.id).toContain("O");
    expect(all.get("CRM-000116")?.unit.id).toBe("BM-EX2-4512");
    expect((all.get("CRM-000128")?.incidentDate ?? "") > new Date().toISOString().slice(0, 10)).toBe(true);
    expect(all.get("CRM-000129")?.unit.id).toBe("CI-7310-5528");
    const client = new PortalClient(sandbox.url);
    await client.login("corvid");
    const search = await client.get("/portals/corvid/units?q=CI-7310-5528");
    expect(byTestId(search.html, "no-results")).toContain("No instruments match");
    const known = await client.get(`/portals/corvid/units?q=${all.get("CRM-000128")?.unit.id ?? ""}`);
    expect(known.html).toContain('data-testid="unit-row"');
    // The third case per OEM is already filed on the portal but still "new" in the CRM.
    const lost = all.get("CRM-000103");
    expect(lost?.status).toBe("new");
    const client2 = new PortalClient(sandbox.url);
    await client2.login("arden");
    const filed = await client2.get(`/portals/arden/filings?reference=${lost?.reference ?? ""}`);
    expect(filed.html).toContain('data-testid="filing-row"');
  });

  it("returns the whole knobs object and merges a partial PUT", async () => {
    const initial = await admin<{ crm: { error500Rate: number }; portals: Record<string, { popupRate: number; domDriftVersion: number }> }>(sandbox, "GET", "/admin/faults");
    expect(initial.body.crm.error500Rate).toBe(0);
    expect(Object.keys(initial.body.portals)).toEqual(["arden", "borealis", "corvid"]);
    const updated = await admin<typeof initial.body>(sandbox, "PUT", "/admin/faults", { portals: { corvid: { popupRate: 0.25 } } });
    expect(updated.status).toBe(200);
    expect(updated.body.portals.corvid).toMatchObject({ popupRate: 0.25, domDriftVersion: 0 });
    expect(updated.body.portals.arden?.popupRate).toBe(0);
    await admin(sandbox, "PUT", "/admin/faults", { portals: { corvid: { popupRate: 0 } } });
  });

  it("refuses invalid knobs with a 400 naming the problem, and changes nothing", async () => {
    const cases: [unknown, string][] = [
      [{ crm: { error500Rate: 2 } }, "crm.error500Rate: must be between 0 and 1"],
      [{ portals: { acme: { popupRate: 1 } } }, "acme"],
      [{ portals: { arden: { popupKinds: ["banner"] } } }, "portals.arden.popupKinds.0"],
      [{ crm: { latencyMs: "slow" } }, "crm.latencyMs"],
      [{ crm: { colour: "red" } }, "colour"],
    ];
    for (const [body, reason] of cases) {
      const res = await admin<{ error: { code: string; message: string } }>(sandbox, "PUT", "/admin/faults", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_faults");
      expect(res.body.error.message).toContain(reason);
    }
    const bad = await fetch(`${sandbox.url}/sandbox/admin/faults`, { method: "PUT", body: "{not json" });
    expect(bad.status).toBe(400);
    expect(sandbox.faults.crm.error500Rate).toBe(0);
  });

  it("resets all state, optionally without reseeding", async () => {
    const res = await admin<{ cases: number; filings: number }>(sandbox, "POST", "/admin/reset", { seed: false });
    expect(res.body).toEqual({ ok: true, cases: 0, filings: 0 });
    const reseeded = await admin<{ cases: number; filings: number }>(sandbox, "POST", "/admin/reset");
    expect(reseeded.body).toMatchObject({ cases: 36, filings: 9 });
  });

  it("serves a human index page and CRM case list", async () => {
    const index = await fetch(`${sandbox.url}/`).then((r) => r.text());
    for (const oem of ["arden", "borealis", "corvid"]) expect(index).toContain(`href="/portals/${oem}/login"`);
    expect(index).toContain('href="/crm"');
    const list = await fetch(`${sandbox.url}/crm`).then((r) => r.text());
    expect(list).toContain('data-testid="crm-cases"');
    expect(list).toContain("NS-");
  });
});

describe("sandbox persistence", () => {
  const dir = mkdtempSync(join(tmpdir(), "nightshift-sandbox-"));
  const dataFile = join(dir, "state.json");

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps CRM cases, idempotency records and portal filings across a restart", async () => {
    const first = await startTestSandbox({ dataFile, seed: true });
    const created = await crm<CaseBody>(first, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: UNITS.arden } });
    await crm(first, "PATCH", `/cases/${created.body.id}`, { body: { status: "submitted", confirmationNumber: "ARD-AAAAAA" }, idempotencyKey: "persist-1" });
    const client = new PortalClient(first.url);
    await client.login("arden");
    const filed = await client.postForm("/portals/arden/claims", {
      caseReference: created.body.reference,
      claimType: "warranty_claim",
      vin: UNITS.arden,
      mileage: "5",
      failureDate: yesterday(),
      componentCategory: "body",
      description: "Door seal detached at the B-pillar.",
      customerName: "Grace Mensah",
      customerEmail: "grace@example.com",
      confirmAccuracy: "yes",
    });
    const confirmation = byTestId(filed.html, "confirmation-number");
    await first.close();
    const saved = JSON.parse(readFileSync(dataFile, "utf8")) as { cases: unknown[] };
    expect(saved.cases).toHaveLength(37);

    const second = await startTestSandbox({ dataFile, seed: true });
    try {
      expect(second.state.cases.size).toBe(37); // not reseeded on top
      const again = await crm<CaseBody>(second, "GET", `/cases/${created.body.id}`);
      expect(again.body).toMatchObject({ status: "submitted", confirmationNumber: "ARD-AAAAAA" });
      const replay = await crm(second, "PATCH", `/cases/${created.body.id}`, { body: { status: "submitted", confirmationNumber: "ARD-AAAAAA" }, idempotencyKey: "persist-1" });
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const filings = await admin<{ filings: { confirmationNumber: string }[] }>(second, "GET", `/admin/filings?reference=${created.body.reference}`);
      expect(filings.body.filings.map((f) => f.confirmationNumber)).toEqual([confirmation]);
    } finally {
      await second.close();
    }
  });
});
