import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, byTestId, PortalClient, startTestSandbox } from "./helpers.js";

describe("sandbox portal sign-in", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ portalCredentials: { corvid: { password: "custom-corvid-secret" } } });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  for (const oem of ["arden", "borealis", "corvid"] as const) {
    it(`${oem}: shows "Invalid username or password" for wrong credentials`, async () => {
      const client = new PortalClient(sandbox.url);
      const page = await client.login(oem, "wrong-password");
      expect(page.status).toBe(401);
      expect(byTestId(page.html, "login-error")).toBe("Invalid username or password");
      expect(client.cookie(`${oem}_session`)).toBeUndefined();
    });

    it(`${oem}: redirects an anonymous visitor to the login page and back after sign-in`, async () => {
      const client = new PortalClient(sandbox.url);
      const anonymous = await client.get(`/portals/${oem}/filings`);
      expect(anonymous.url).toContain(`/portals/${oem}/login?returnTo=`);
      expect(anonymous.html).toContain('id="username"');
      const page = await client.postForm(`/portals/${oem}/login`, {
        username: "nightshift",
        password: oem === "corvid" ? "custom-corvid-secret" : `sandbox-${oem}-pass`,
        returnTo: `/portals/${oem}/filings`,
      });
      expect(page.status).toBe(200);
      expect(new URL(page.url).pathname).toBe(`/portals/${oem}/filings`);
      expect(page.html).toContain('data-testid="signed-in-user">nightshift<');
    });
  }

  it("scopes each portal's session cookie to its own path", async () => {
    const res = await fetch(`${sandbox.url}/portals/arden/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "username=nightshift&password=sandbox-arden-pass",
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie()[0] ?? "";
    expect(cookie).toMatch(/^arden_session=/);
    expect(cookie).toContain("Path=/portals/arden");
    expect(cookie).toContain("HttpOnly");
    // An Arden session does not open Borealis.
    const client = new PortalClient(sandbox.url);
    client.setCookie("borealis_session", (/arden_session=([^;]+)/.exec(cookie)?.[1]) ?? "");
    const page = await client.get("/portals/borealis/");
    expect(page.url).toContain("/portals/borealis/login");
  });

  it("locks the account after the configured number of bad logins, until unlocked", async () => {
    await admin(sandbox, "PUT", "/admin/faults", { portals: { borealis: { lockoutAfter: 2 } } });
    const client = new PortalClient(sandbox.url);
    expect((await client.login("borealis", "bad-1")).status).toBe(401);
    const second = await client.login("borealis", "bad-2");
    expect(second.status).toBe(423);
    expect(byTestId(second.html, "login-error")).toContain("Account locked");
    const correct = await client.login("borealis");
    expect(correct.status).toBe(423);
    await admin(sandbox, "POST", "/admin/portals/borealis/unlock");
    const unlocked = await client.login("borealis");
    expect(unlocked.status).toBe(200);
    await admin(sandbox, "PUT", "/admin/faults", { portals: { borealis: { lockoutAfter: 0 } } });
  });

  it("signs out and requires a new sign-in", async () => {
    const client = new PortalClient(sandbox.url);
    await client.login("arden");
    const out = await client.get("/portals/arden/logout");
    expect(out.html).toContain("You have been signed out.");
    const again = await client.get("/portals/arden/claims/new");
    expect(again.url).toContain("/portals/arden/login");
  });
});
