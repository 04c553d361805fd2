import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/config/env";
import { generatedSecretsIn, IntegrationConfigError, resolveIntegrations } from "@/lib/config/integrations";
import { deployedEnvRecord } from "@/test/support/environment-pair";

function issuesOf(record: Record<string, string>): string[] {
  try {
    parseEnv(record);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).issues;
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), "ns-prod-defaults-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("prod refuses the sandbox and dev defaults", () => {
  it("accepts a real prod configuration", () => {
    expect(issuesOf(deployedEnvRecord("prod"))).toEqual([]);
  });

  it.each([
    ["the sandbox port on loopback", "http://127.0.0.1:4010/crm/api"],
    ["localhost's sandbox CRM path on another port", "http://localhost:9999/crm/api"],
    ["a custom sandbox port", "http://[::1]:4555/anything"],
  ])("refuses CRM_BASE_URL at %s", (_what, url) => {
    const issues = issuesOf(deployedEnvRecord("prod", { CRM_BASE_URL: url, SANDBOX_PORT: url.includes("4555") ? "4555" : "4010" }));
    expect(issues).toEqual([expect.stringMatching(/^CRM_BASE_URL: points at the sandbox CRM/)]);
  });

  it("allows a real CRM on loopback elsewhere (an SSH tunnel) outside the sandbox's paths and port", () => {
    expect(issuesOf(deployedEnvRecord("prod", { CRM_BASE_URL: "http://127.0.0.1:8443/api" }))).toEqual([]);
  });

  it("refuses the sandbox CRM token, sandbox portal URLs and sandbox portal accounts, each named", () => {
    const issues = issuesOf(
      deployedEnvRecord("prod", {
        CRM_TOKEN: "sandbox-crm-token",
        PORTAL_URLS: JSON.stringify({ arden: "http://127.0.0.1:4010/portals/arden", borealis: "https://b.example", corvid: "https://c.example" }),
        PORTAL_CREDENTIALS: JSON.stringify({ corvid: { username: "nightshift", password: "sandbox-corvid-pass" } }),
      }),
    );
    expect(issues.map((i) => i.split(":")[0])).toEqual(["CRM_TOKEN", "PORTAL_URLS.arden", "PORTAL_CREDENTIALS.corvid"]);
    expect(issues.join(" ")).not.toContain("sandbox-corvid-pass");
  });

  it("lets stage use the sandbox's values (rehearsals may)", () => {
    expect(issuesOf(deployedEnvRecord("stage", { CRM_TOKEN: "sandbox-crm-token", CRM_BASE_URL: "http://127.0.0.1:4010/crm/api" }))).toEqual([]);
  });

  it("refuses a secret copied from a checkout's generated dev value, naming it without its value", () => {
    const record = deployedEnvRecord("prod", { NIGHTSHIFT_DATA_DIR: dataDir });
    mkdirSync(path.join(dataDir, "sandbox"), { recursive: true });
    writeFileSync(path.join(dataDir, "artifact-url-secret"), `${record.ARTIFACT_URL_SECRET!}\n`);
    writeFileSync(path.join(dataDir, "sandbox", "webhook-secret"), record.CRM_WEBHOOK_SECRET!);
    writeFileSync(path.join(dataDir, "secret-key"), "some other key");
    const env = parseEnv(record);
    expect(generatedSecretsIn(env)).toEqual(["ARTIFACT_URL_SECRET", "CRM_WEBHOOK_SECRET"]);
    let error: unknown;
    try {
      resolveIntegrations(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IntegrationConfigError);
    expect((error as Error).message).toMatch(/^ARTIFACT_URL_SECRET, CRM_WEBHOOK_SECRET are the per-checkout value generated for development/);
    expect((error as Error).message).not.toContain(record.ARTIFACT_URL_SECRET!);
    // Stage may run with them (it is still refused by the doctor's secret-set rule in a comparison).
    expect(() => resolveIntegrations(parseEnv({ ...record, NIGHTSHIFT_ENV: "stage" }))).not.toThrow();
  });
});
