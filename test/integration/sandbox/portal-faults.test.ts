import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, byTestId, PortalClient, startTestSandbox, UNITS, yesterday } from "./helpers.js";

const CLAIM = {
  caseReference: "NS-2026-00901",
  claimType: "warranty_claim",
  vin: UNITS.arden,
  mileage: "1000",
  failureDate: "",
  componentCategory: "electrical",
  description: "Battery drain overnight; BCM replaced.",
  customerName: "Omar Haddad",
  customerEmail: "omar@example.com",
  confirmAccuracy: "yes",
};

describe("sandbox portal fault knobs", () => {
  let sandbox: Sandbox;
  let client: PortalClient;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ hangTimeoutMs: 1_000 });
    client = new PortalClient(sandbox.url);
    await client.login("arden");
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("serves a 503 maintenance page on every page while maintenance is on", async () => {
    sandbox.setFaults({ portals: { arden: { maintenance: true } } });
    for (const path of ["/portals/arden/login", "/portals/arden/claims/new", "/portals/arden/filings"]) {
      const page = await client.get(path);
      expect(page.status).toBe(503);
      expect(page.html).toContain('data-testid="maintenance"');
      expect(page.html).toContain("Scheduled maintenance");
    }
    // Other portals are unaffected.
    expect((await new PortalClient(sandbox.url).get("/portals/borealis/login")).status).toBe(200);
  });

  it("honours a maintenance window", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    await admin(sandbox, "PUT", "/admin/faults", { portals: { corvid: { maintenance: { from, until } } } });
    expect((await client.get("/portals/corvid/login")).status).toBe(503);
    const past = { from: new Date(Date.now() - 120_000).toISOString(), until: new Date(Date.now() - 60_000).toISOString() };
    await admin(sandbox, "PUT", "/admin/faults", { portals: { corvid: { maintenance: past } } });
    expect((await client.get("/portals/corvid/login")).status).toBe(200);
  });

  it("answers random 502/503 gateway errors at error5xxRate 1, without filing", async () => {
    sandbox.setFaults({ portals: { arden: { error5xxRate: 1 } } });
    const page = await client.postForm("/portals/arden/claims", { ...CLAIM, failureDate: yesterday() });
    expect([502, 503]).toContain(page.status);
    expect(page.html).toContain('data-testid="gateway-error"');
    expect(sandbox.state.filings).toHaveLength(0);
  });

  it("rejects an otherwise valid submission with a visible portal message at rejectRate 1", async () => {
    sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
    const page = await client.postForm("/portals/arden/claims", { ...CLAIM, failureDate: yesterday() });
    expect(page.status).toBe(422);
    expect(byTestId(page.html, "portal-message")).toMatch(/rejected/i);
    expect(sandbox.state.filings).toHaveLength(0);
  });

  it("loses the response after filing at lostResponseRate 1, and the filings search shows the filing", async () => {
    sandbox.setFaults({ portals: { arden: { lostResponseRate: 1 } } });
    const page = await client.postForm("/portals/arden/claims", { ...CLAIM, failureDate: yesterday() });
    expect(page.status).toBe(502);
    sandbox.setFaults({ portals: { arden: { lostResponseRate: 0 } } });
    const search = await client.get("/portals/arden/filings?reference=NS-2026-00901");
    expect(search.html).toContain('data-testid="filing-row" data-reference="NS-2026-00901"');
  });

  it("shows a cookie wall overlay until consent is stored in the consent cookie", async () => {
    sandbox.setFaults({ portals: { arden: { popupRate: 1, popupKinds: ["cookie_wall"] } } });
    const page = await client.get("/portals/arden/claims/new");
    expect(page.html).toContain('id="cookie-wall" data-testid="cookie-wall"');
    expect(page.html).toContain('data-testid="cookie-accept"');
    client.setCookie("arden_cookie_consent", "1");
    const after = await client.get("/portals/arden/claims/new");
    expect(after.html).not.toContain('id="cookie-wall"');
  });

  it("renders the survey modal hidden, to appear after a short delay", async () => {
    sandbox.setFaults({ portals: { arden: { popupRate: 1, popupKinds: ["survey"] } } });
    const page = await client.get("/portals/arden/");
    expect(page.html).toMatch(/id="survey-modal" data-testid="survey-modal"[^>]*hidden data-delay-ms="400"/);
    expect(page.html).toContain('data-testid="survey-dismiss"');
  });

  it("ends the session when a form is posted behind the session-expiry interstitial", async () => {
    sandbox.setFaults({ portals: { arden: { popupRate: 1, popupKinds: ["session_expiry"] } } });
    const page = await client.get("/portals/arden/claims/new");
    expect(page.html).toContain('data-testid="session-expiry"');
    sandbox.setFaults({ portals: { arden: { popupRate: 0 } } });
    const posted = await client.postForm("/portals/arden/claims", { ...CLAIM, failureDate: yesterday() });
    expect(posted.url).toContain("/portals/arden/login?expired=1");
    expect(posted.html).toContain("Your session expired. Please sign in again.");
    expect(sandbox.state.filings).toHaveLength(0);
  });

  it("keeps the session when the user clicks Continue session", async () => {
    sandbox.setFaults({ portals: { arden: { popupRate: 1, popupKinds: ["session_expiry"] } } });
    await client.get("/portals/arden/claims/new");
    sandbox.setFaults({ portals: { arden: { popupRate: 0 } } });
    // Until continued, every page shows the interstitial again.
    expect((await client.get("/portals/arden/")).html).toContain('data-testid="session-expiry"');
    const continued = await client.postForm("/portals/arden/session/continue", { returnTo: "/portals/arden/claims/new" });
    expect(new URL(continued.url).pathname).toBe("/portals/arden/claims/new");
    expect(continued.html).not.toContain('data-testid="session-expiry"');
    const filed = await client.postForm("/portals/arden/claims", { ...CLAIM, failureDate: yesterday() });
    expect(byTestId(filed.html, "confirmation-number")).toMatch(/^ARD-/);
  });

  it("adds latency and can hang portal requests", async () => {
    sandbox.setFaults({ portals: { arden: { latencyMs: 120 } } });
    const started = Date.now();
    await client.get("/portals/arden/");
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    sandbox.setFaults({ portals: { arden: { latencyMs: 0, hangRate: 1 } } });
    await expect(fetch(`${sandbox.url}/portals/arden/login`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });
});
