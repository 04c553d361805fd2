import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { IntegrationConfigError, resolveIntegrations } from "@/lib/config/integrations";

const production = {
  NIGHTSHIFT_ENV: "prod",
  SANDBOX: "off",
  CRM_BASE_URL: "https://crm.example.com/api",
  CRM_TOKEN: "token",
  PORTAL_URLS: JSON.stringify({ arden: "https://arden.example.com", borealis: "https://borealis.example.com", corvid: "https://corvid.example.com" }),
  PORTAL_CREDENTIALS: JSON.stringify({ arden: { username: "u", password: "p" }, borealis: { username: "u", password: "p" }, corvid: { username: "u", password: "p" } }),
  NIGHTSHIFT_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
};

describe("artifact link configuration", () => {
  it("generates one secret per checkout outside production and keeps it", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-config-"));
    const first = resolveIntegrations(parseEnv({ NIGHTSHIFT_DATA_DIR: dataDir })).artifactLinks;
    const again = resolveIntegrations(parseEnv({ NIGHTSHIFT_DATA_DIR: dataDir })).artifactLinks;
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(again.secret).toBe(first.secret);
    expect(statSync(path.join(dataDir, "artifact-url-secret")).mode & 0o777).toBe(0o600);
    expect(first.publicBaseUrl).toBeNull();
  });

  it("requires ARTIFACT_URL_SECRET in production", () => {
    expect(() => resolveIntegrations(parseEnv(production))).toThrow(IntegrationConfigError);
    expect(() => resolveIntegrations(parseEnv(production))).toThrow(/ARTIFACT_URL_SECRET/);
    const secret = "a-production-secret-of-enough-length-0123";
    expect(resolveIntegrations(parseEnv({ ...production, ARTIFACT_URL_SECRET: secret })).artifactLinks.secret).toBe(secret);
  });

  it("requires NIGHTSHIFT_SECRET_KEY in production (it seals the stored portal credentials), but no PORTAL_CREDENTIALS", () => {
    const secret = "a-production-secret-of-enough-length-0123";
    const { NIGHTSHIFT_SECRET_KEY: _key, PORTAL_CREDENTIALS: _credentials, ...withoutKey } = production;
    expect(() => resolveIntegrations(parseEnv({ ...withoutKey, ARTIFACT_URL_SECRET: secret }))).toThrow(/NIGHTSHIFT_SECRET_KEY must be set/);
    const integrations = resolveIntegrations(parseEnv({ ...withoutKey, NIGHTSHIFT_SECRET_KEY: production.NIGHTSHIFT_SECRET_KEY, ARTIFACT_URL_SECRET: secret }));
    expect(integrations.portals.arden).toEqual({ url: "https://arden.example.com", credentials: null });
  });

  it("takes the public base URL without its trailing slash, and refuses a short secret", () => {
    const env = parseEnv({ NIGHTSHIFT_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "ns-config-")), NIGHTSHIFT_PUBLIC_URL: "http://127.0.0.1:3000/" });
    expect(resolveIntegrations(env).artifactLinks.publicBaseUrl).toBe("http://127.0.0.1:3000");
    expect(() => parseEnv({ ARTIFACT_URL_SECRET: "short" })).toThrow(/ARTIFACT_URL_SECRET/);
  });
});
