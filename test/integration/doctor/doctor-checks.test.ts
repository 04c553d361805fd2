import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { chromium, type BrowserServer } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { findChromium } from "@/jobs/automation/chromium";
import { parseEnv } from "@/lib/config/env";
import { connectDatabase, withDatabaseName, type DatabaseHandle } from "@/lib/db/client";
import { DOCTOR_CHECKS } from "@/lib/doctor/checks";
import { createDoctorContext } from "@/lib/doctor/context";
import { formatDoctorReport } from "@/lib/doctor/format-report";
import { runDoctor } from "@/lib/doctor/run-doctor";
import type { DoctorCheck, DoctorReport } from "@/lib/doctor/types";
import type { Sandbox } from "@/sandbox/server";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { freePort } from "@/test/support/free-port";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider, type RunningOidcProvider } from "@/test/support/oidc-provider";
import { CRM_TOKEN, startTestSandbox, WEBHOOK_SECRET } from "../sandbox/helpers";

/** The doctor against real peers: a migrated and an empty database, the sandbox CRM, an OIDC provider, Chromium. */
let database: TestDatabase;
let sandbox: Sandbox;
let oidc: RunningOidcProvider;
let browserServer: BrowserServer;
let empty: { handle: DatabaseHandle; drop(): Promise<void> };

beforeAll(async () => {
  [database, sandbox, oidc] = await Promise.all([createTestDatabase(), startTestSandbox(), freePort().then((port) => startOidcProvider({ port, redirectUris: ["http://127.0.0.1:1/cb"] }))]);
  const serverUrl = inject("testServerUrl");
  const name = `doctor_empty_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const handle = connectDatabase(withDatabaseName(serverUrl, name), { max: 1 });
  empty = {
    handle,
    async drop() {
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
});
afterAll(async () => {
  await browserServer?.close();
  await Promise.all([database?.destroy(), sandbox?.close(), oidc?.close(), empty?.drop()]);
});

function record(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NIGHTSHIFT_ENV: "dev",
    SANDBOX: "on",
    SANDBOX_PORT: String(sandbox.port),
    CRM_BASE_URL: `${sandbox.url}/crm/api`,
    CRM_TOKEN,
    CRM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    PATH: process.env.PATH ?? "",
    NIGHTSHIFT_DATA_DIR: "/nonexistent-doctor-test",
    ARTIFACTS_DIR: artifactsDir,
    ARTIFACT_URL_SECRET: "a".repeat(40),
    NIGHTSHIFT_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    ...overrides,
  };
}

async function doctor(raw: Record<string, string>, options: { db?: DatabaseHandle["db"] | null; checks?: DoctorCheck[] } = {}): Promise<DoctorReport> {
  const env = parseEnv(raw);
  return runDoctor(
    options.checks ?? DOCTOR_CHECKS,
    createDoctorContext({
      env,
      db: options.db === undefined ? database.db : options.db,
      databaseSource: "test",
      locateChromium: () => findChromium({ explicitPath: env.CHROMIUM_PATH, searchPath: env.PATH }),
      connectBrowser: async (ws, timeoutMs) => {
        const browser = await chromium.connect(ws, { timeout: timeoutMs });
        try {
          return `Chromium ${browser.version()}`;
        } finally {
          await browser.close();
        }
      },
    }),
  );
}

const statusOf = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)!;

const scratch = mkdtempSync(path.join(os.tmpdir(), "ns-doctor-"));
const artifactsDir = path.join(scratch, "artifacts");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("npm run doctor's checks", () => {
  it("pass on a healthy environment: database migrated, clock, CRM with its token, SSO discovery, Chromium", async () => {
    const report = await doctor(record());
    expect(statusOf(report)).toEqual({ database: "ok", migrations: "ok", clock: "ok", crm: "ok", "webhook-secret": "ok", "portal-credentials": "ok", "artifact-store": "ok", browser: "ok", oidc: "ok", secrets: "ok" });
    expect(report.ok).toBe(true);
    expect(check(report, "crm").sentence).toMatch(/^The CRM at 127\.0\.0\.1:\d+ answered an authenticated request/);
    expect(formatDoctorReport(report)).toContain("All checks passed.");
  });

  it("fail the artifact-store check when the local folder cannot be written, saying what to fix", async () => {
    const notAFolder = path.join(scratch, "a-file");
    writeFileSync(notAFolder, "");
    const probe = check(await doctor(record({ ARTIFACTS_DIR: notAFolder })), "artifact-store");
    expect(probe).toMatchObject({ status: "fail", sentence: expect.stringContaining("local artifacts folder") as string, fix: expect.stringContaining("ARTIFACTS_DIR") as string });
  });

  it("fail the CRM check when the CRM refuses the token, without printing it", async () => {
    const report = await doctor(record({ CRM_TOKEN: "wrong-token-value-xyz" }));
    expect(check(report, "crm")).toMatchObject({ status: "fail", sentence: expect.stringContaining("refused the token (401)") as string, fix: expect.stringContaining("CRM_TOKEN") as string });
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report) + formatDoctorReport(report)).not.toContain("wrong-token-value-xyz");
  });

  it("fail when the identity provider's discovery names another issuer", async () => {
    const report = await doctor(record({ OIDC_ISSUER: oidc.issuer.replace("127.0.0.1", "localhost") }));
    expect(check(report, "oidc")).toMatchObject({ status: "fail", sentence: expect.stringContaining(`names issuer ${oidc.issuer}`) as string });
  });

  it("fail the migration check on a database that was never migrated, and skip database checks without one", async () => {
    expect(check(await doctor(record(), { db: empty.handle.db }), "migrations")).toMatchObject({ status: "fail", sentence: "The database has never been migrated." });
    const none = await doctor(record(), { db: null });
    expect(statusOf(none)).toMatchObject({ database: "fail", migrations: "skip", clock: "skip" });
  });

  it("fail the browser check for a missing CHROMIUM_PATH, and connect to a remote browser when BROWSER_WS_ENDPOINT is set", async () => {
    expect(check(await doctor(record({ CHROMIUM_PATH: "/nonexistent/chromium" })), "browser")).toMatchObject({ status: "fail", fix: expect.stringContaining("CHROMIUM_PATH is set to /nonexistent/chromium") as string });
    browserServer = await chromium.launchServer({ executablePath: "/usr/bin/chromium" });
    const remote = check(await doctor(record({ BROWSER_WS_ENDPOINT: browserServer.wsEndpoint() })), "browser");
    expect(remote).toMatchObject({ status: "ok", sentence: expect.stringMatching(/^The remote browser at ws:\/\/127\.0\.0\.1:\d+ accepted a connection \(Chromium \d+/) as string });
    // The endpoint's secret path is never printed.
    expect(remote.sentence).not.toContain(new URL(browserServer.wsEndpoint()).pathname);
    const closed = check(await doctor(record({ BROWSER_WS_ENDPOINT: `ws://127.0.0.1:${await freePort()}/x` })), "browser");
    expect(closed.status).toBe("fail");
  });

  it("fail stage's secrets check when a secret is unset, and prod's webhook and portal-credential checks when they are missing", async () => {
    const stage = await doctor(record({ NIGHTSHIFT_ENV: "stage", ARTIFACT_URL_SECRET: "" }));
    expect(check(stage, "secrets")).toMatchObject({ status: "fail", sentence: expect.stringContaining("ARTIFACT_URL_SECRET is not set") as string });
    const prod = await doctor(record({ NIGHTSHIFT_ENV: "prod", SANDBOX: "off", CRM_WEBHOOK_SECRET: "", CRM_BASE_URL: "https://crm.example.invalid/api", PORTAL_URLS: JSON.stringify({ arden: "https://a.example", borealis: "https://b.example", corvid: "https://c.example" }) }));
    expect(check(prod, "webhook-secret").status).toBe("fail");
    // Neither stored nor PORTAL_CREDENTIALS: every portal is named.
    expect(check(prod, "portal-credentials")).toMatchObject({ status: "fail", sentence: "No credentials for Arden Motors, Borealis Machinery, Corvid Instruments: their attempts fail as credentials refused." });
  });

  it("cut a check off at its timeout instead of hanging (the list is open to new checks)", async () => {
    const hanging: DoctorCheck = { id: "hangs", label: "Hangs", timeoutMs: 200, run: () => new Promise(() => {}) };
    const started = Date.now();
    const report = await doctor(record(), { checks: [...DOCTOR_CHECKS, hanging] });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(check(report, "hangs")).toMatchObject({ status: "fail", sentence: "No answer within 0.2 s." });
  });
});
