import { defineConfig } from "@playwright/test";
import { findChromium } from "./jobs/automation/chromium";
import { E2E_DATA_DIR, E2E_OIDC_ISSUER, E2E_OIDC_LABEL, E2E_OIDC_PORT, STORAGE_STATE } from "./test/e2e/auth";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ROLE_GROUPS } from "./test/support/oidc-test-accounts";

// End-to-end: real Chromium against the real launcher (`scripts/start.ts`: embedded Postgres,
// production build, web, worker, sandbox) on ports of its own, so a running `npm start` is untouched.
// E2E_PORT / E2E_PG_PORT / E2E_SANDBOX_PORT / E2E_OIDC_PORT move it, so two checkouts can run their suites side by side.
// Sign-in runs against a real OpenID Connect provider (test/support/oidc-provider.ts), started first.
const port = Number(process.env.E2E_PORT ?? 3123);
const dataDir = E2E_DATA_DIR;

export default defineConfig({
  testDir: "test/e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: { executablePath: findChromium({ explicitPath: process.env.CHROMIUM_PATH, searchPath: process.env.PATH }) },
  },
  // "setup" creates the first admin through the launcher's one-time link; every spec runs signed in as them.
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts$/ },
    { name: "chromium", dependencies: ["setup"], use: { storageState: STORAGE_STATE } },
  ],
  webServer: [
    {
      // The company's identity provider: panva's oidc-provider with Acme's test accounts and their groups.
      command: "node --import tsx test/support/oidc-provider.ts",
      url: `${E2E_OIDC_ISSUER}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { OIDC_PROVIDER_PORT: String(E2E_OIDC_PORT), OIDC_REDIRECT_URIS: `http://127.0.0.1:${port}/api/auth/callback/oidc` },
    },
    {
      // A fresh world per run: empty database, freshly seeded sandbox.
      command: `rm -rf ${dataDir} && node --import tsx scripts/start.ts`,
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 240_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 60_000 },
      // The launcher logs warnings and errors only (LOG_LEVEL=warn): shown, so a start-up failure in CI says why.
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(port),
        PG_PORT: process.env.E2E_PG_PORT ?? "54340",
        SANDBOX_PORT: process.env.E2E_SANDBOX_PORT ?? "4110",
        NIGHTSHIFT_DATA_DIR: dataDir,
        LOG_FORMAT: "json",
        LOG_LEVEL: "warn",
        // A transient portal failure retries in seconds, not production's 2–10 minutes, so a test waiting for a run to end is not at the mercy of one flake.
        RETRY_BASE_DELAY_SECONDS: "3",
        RETRY_MIN_DELAY_SECONDS: "2",
        RETRY_MAX_DELAY_SECONDS: "10",
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
        // SSO through the provider above; roles from its groups claim.
        OIDC_ISSUER: E2E_OIDC_ISSUER,
        OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET,
        OIDC_LABEL: E2E_OIDC_LABEL,
        OIDC_SCOPES: "openid email profile groups",
        OIDC_ROLE_GROUPS: JSON.stringify(OIDC_ROLE_GROUPS),
      },
    },
  ],
});
