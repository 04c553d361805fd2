/**
 * The doctor: checks one environment for real (database, CRM, browser, secrets…) and says, per
 * check, ok / warn / fail with a sentence and how to fix it. The CLI (`npm run doctor`) and the
 * Settings page run the same list; each caller hands in what only it can do (e.g. the worker's
 * Chromium discovery), so lib/ never imports Playwright.
 */
import type { ArtifactStore } from "../artifacts/store";
import type { Env } from "../config/env";
import type { Integrations } from "../config/integrations";
import type { CrmConnector } from "../crm/connector";
import type { Database } from "../db/client";

export const CHECK_STATUSES = ["ok", "warn", "fail", "skip"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  status: CheckStatus;
  /** What was found, in a sentence; never a secret. */
  sentence: string;
  /** How to fix it (warn and fail). */
  fix?: string;
}

export interface DoctorContext {
  env: Env;
  /** The environment's database, or null when none is configured or reachable by address. */
  db: Database | null;
  /** Where `db` came from, e.g. "DATABASE_URL" or "the running npm start". */
  databaseSource: string;
  /** Resolved lazily: throws an IntegrationConfigError sentence when the environment lacks something. */
  integrations: () => Integrations;
  crm: () => CrmConnector;
  /** The artifact store the worker writes to (local folder or S3 bucket), made on first use. */
  artifactStore: () => ArtifactStore;
  /** The worker's Chromium discovery; returns the binary's path or throws a sentence. */
  locateChromium: () => string;
  /** Connects to a remote Playwright browser server and returns its version (BROWSER_WS_ENDPOINT). */
  connectBrowser: (wsEndpoint: string, timeoutMs: number) => Promise<string>;
  fetch: typeof fetch;
  now: () => Date;
}

/** One check: a function in a list. Add a check by appending to DOCTOR_CHECKS (lib/doctor/checks/index.ts). */
export interface DoctorCheck {
  id: string;
  label: string;
  /** The check is cut off (a fail) after this long; default 5 s. */
  timeoutMs?: number;
  run(context: DoctorContext): CheckResult | Promise<CheckResult>;
}

export interface CheckOutcome extends CheckResult {
  id: string;
  label: string;
  durationMs: number;
}

export interface DoctorReport {
  env: Env["NIGHTSHIFT_ENV"];
  checkedAt: string;
  /** False when any check failed. */
  ok: boolean;
  checks: CheckOutcome[];
}
