import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { S3StoreConfig } from "../artifacts/s3-store";
import { alertsConfigFrom, type AlertsConfig } from "../alerts/config";
import type { ArtifactLinkConfig } from "../artifacts/signed-urls";
import type { CrmConfig } from "../crm";
import { PRODUCTION_RETRY_BOUNDS, SANDBOX_RETRY_BOUNDS, type RetryBounds } from "../batches/recipe";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "../crm/outbox";
import { OEM_CATALOG } from "../oems/catalog";
import type { RetryPolicy } from "../runs/retry-policy";
import type { Env } from "./env";
import { SANDBOX_CRM_TOKEN, sandboxPortalPassword } from "./sandbox-defaults";
import { readOrCreateSecretFile } from "./secret-file";
import { resolveSecretKeys, SecretKeyError, type SecretKeys } from "../secrets/secret-key";

export interface PortalCredentials {
  username: string;
  password: string;
  /** Base32 secret of the portal's TOTP second factor, when it asks for one-time codes. */
  totpSecret?: string;
}

export interface PortalConfig {
  url: string;
  /**
   * The environment's credentials (PORTAL_CREDENTIALS, or the sandbox accounts): the fallback when
   * none are stored for the portal (lib/portals/credentials.ts). Null: the environment has none.
   */
  credentials: PortalCredentials | null;
}

/** Where the worker's browser comes from and when it is replaced (BROWSER_* variables). */
export interface BrowserConfig {
  /** BROWSER_WS_ENDPOINT: a browser server to connect to; null: launch the local Chromium. */
  wsEndpoint: string | null;
  protocol: "playwright" | "cdp";
  /** Recycle the browser after this many contexts… */
  recycleContexts: number;
  /** …or this many minutes. */
  recycleMinutes: number;
}

export interface Integrations {
  crm: CrmConfig;
  webhookSecret: string | undefined;
  portals: Record<string, PortalConfig>;
  /** NIGHTSHIFT_SECRET_KEY (+ previous keys): seals and opens the stored portal credentials. */
  secretKeys: SecretKeys;
  artifactsDir: string;
  /** How artifact links are signed and where they point (the artifact store's config with `artifactsDir`). */
  artifactLinks: ArtifactLinkConfig;
  /** ARTIFACT_STORE=s3: the bucket artifacts are written to; null: the local folder `artifactsDir`. */
  artifactS3: S3StoreConfig | null;
  /** How long artifacts are kept (the daily `prune_artifacts` task), in days. */
  artifactRetention: ArtifactRetention;
  retryPolicy: RetryPolicy;
  /** What a recipe's retry override may ask for: production's 2–10 min, or seconds with the sandbox on. */
  retryBounds: RetryBounds;
  /** How CRM write-backs are retried when the CRM fails. */
  crmDeliveryPolicy: DeliveryPolicy;
  browser: BrowserConfig;
  /** Alert and digest delivery: SMTP server, sender, reminder interval, links, retry policy. */
  alerts: AlertsConfig;
}

export interface ArtifactRetention {
  days: number;
  /** Redaction-sensitive cases: never longer than `days`. */
  sensitiveDays: number;
}

export class IntegrationConfigError extends Error {
  override name = "IntegrationConfigError";
}

/** The sandbox's well-known local accounts (see sandbox/README.md); never used with SANDBOX=off. */
function sandboxPortalCredentials(oemId: string): PortalCredentials {
  return { username: "nightshift", password: sandboxPortalPassword(oemId) };
}

/**
 * Where the CRM and the portals are and how to log in: explicit variables first, else (only with
 * SANDBOX=on) the sandbox's addresses and accounts. Throws listing what a real deployment lacks.
 */
export function resolveIntegrations(env: Env): Integrations {
  const sandbox = `http://127.0.0.1:${env.SANDBOX_PORT}`;
  const missing: string[] = [];
  const crmBaseUrl = env.CRM_BASE_URL ?? (env.SANDBOX ? `${sandbox}/crm/api` : undefined);
  const crmToken = env.CRM_TOKEN ?? (env.SANDBOX ? SANDBOX_CRM_TOKEN : undefined);
  if (!crmBaseUrl) missing.push("CRM_BASE_URL");
  if (!crmToken) missing.push("CRM_TOKEN");
  const portals: Record<string, PortalConfig> = {};
  for (const oem of OEM_CATALOG) {
    const url = env.PORTAL_URLS?.[oem.id] ?? (env.SANDBOX ? `${sandbox}/portals/${oem.id}` : undefined);
    const credentials = env.PORTAL_CREDENTIALS?.[oem.id] ?? (env.SANDBOX ? sandboxPortalCredentials(oem.id) : undefined);
    if (!url) missing.push(`PORTAL_URLS.${oem.id}`);
    // Credentials may be stored by an admin instead (Portals page); without either, attempts fail `auth`.
    if (url) portals[oem.id] = { url: url.replace(/\/+$/, ""), credentials: credentials ?? null };
  }
  if (missing.length > 0) {
    throw new IntegrationConfigError(`With SANDBOX=off these must be configured: ${missing.join(", ")}. See .env.example.`);
  }
  if (env.NIGHTSHIFT_ENV === "prod") {
    const generated = generatedSecretsIn(env);
    if (generated.length > 0) {
      throw new IntegrationConfigError(`${generated.join(", ")} ${generated.length === 1 ? "is" : "are"} the per-checkout value generated for development (in ${env.NIGHTSHIFT_DATA_DIR}); prod needs its own. See .env.example.`);
    }
  }
  return {
    crm: { provider: env.CRM_PROVIDER, baseUrl: crmBaseUrl!, token: crmToken! },
    webhookSecret: env.CRM_WEBHOOK_SECRET,
    portals,
    artifactsDir: env.ARTIFACTS_DIR ?? path.join(env.NIGHTSHIFT_DATA_DIR, "artifacts"),
    artifactLinks: { secret: artifactUrlSecret(env), publicBaseUrl: env.NIGHTSHIFT_PUBLIC_URL?.replace(/\/+$/, "") ?? null },
    artifactS3: artifactS3From(env),
    artifactRetention: artifactRetentionFrom(env),
    secretKeys: secretKeysFrom(env),
    retryPolicy: retryPolicyFrom(env),
    retryBounds: env.SANDBOX ? SANDBOX_RETRY_BOUNDS : PRODUCTION_RETRY_BOUNDS,
    crmDeliveryPolicy: DEFAULT_DELIVERY_POLICY,
    browser: browserConfigFrom(env),
    alerts: alertsConfigFrom(env),
  };
}

/** The worker's browser source and recycling bounds, from the typed environment. */
export function browserConfigFrom(env: Pick<Env, "BROWSER_WS_ENDPOINT" | "BROWSER_PROTOCOL" | "BROWSER_RECYCLE_CONTEXTS" | "BROWSER_RECYCLE_MINUTES">): BrowserConfig {
  return {
    wsEndpoint: env.BROWSER_WS_ENDPOINT ?? null,
    protocol: env.BROWSER_PROTOCOL,
    recycleContexts: env.BROWSER_RECYCLE_CONTEXTS,
    recycleMinutes: env.BROWSER_RECYCLE_MINUTES,
  };
}

/**
 * The secrets whose value equals one generated for development under NIGHTSHIFT_DATA_DIR (the
 * per-checkout artifact-link secret, secret key and sandbox webhook secret): a dev default
 * copied into a deployed environment. Compares values only; never reads a file into an error.
 */
export function generatedSecretsIn(env: Pick<Env, "NIGHTSHIFT_DATA_DIR" | "ARTIFACT_URL_SECRET" | "NIGHTSHIFT_SECRET_KEY" | "CRM_WEBHOOK_SECRET">): Array<"ARTIFACT_URL_SECRET" | "NIGHTSHIFT_SECRET_KEY" | "CRM_WEBHOOK_SECRET"> {
  const files = {
    ARTIFACT_URL_SECRET: path.join(env.NIGHTSHIFT_DATA_DIR, "artifact-url-secret"),
    NIGHTSHIFT_SECRET_KEY: path.join(env.NIGHTSHIFT_DATA_DIR, "secret-key"),
    CRM_WEBHOOK_SECRET: path.join(env.NIGHTSHIFT_DATA_DIR, "sandbox", "webhook-secret"),
  } as const;
  return (Object.keys(files) as Array<keyof typeof files>).filter((name) => {
    const value = env[name];
    if (!value) return false;
    try {
      return readFileSync(files[name], "utf8").trim() === value.trim();
    } catch {
      return false;
    }
  });
}

/** The S3 bucket of ARTIFACT_STORE=s3 (the environment schema already refused one without a bucket), else null. */
export function artifactS3From(env: Pick<Env, "ARTIFACT_STORE" | "ARTIFACT_S3_BUCKET" | "ARTIFACT_S3_REGION" | "ARTIFACT_S3_ENDPOINT" | "ARTIFACT_S3_PUBLIC_ENDPOINT" | "ARTIFACT_S3_FORCE_PATH_STYLE">): S3StoreConfig | null {
  if (env.ARTIFACT_STORE !== "s3") return null;
  if (!env.ARTIFACT_S3_BUCKET) throw new IntegrationConfigError("ARTIFACT_S3_BUCKET must be set when ARTIFACT_STORE=s3 (the bucket artifacts are written to). See .env.example.");
  const trim = (url: string | undefined) => url?.replace(/\/+$/, "") ?? null;
  return {
    bucket: env.ARTIFACT_S3_BUCKET,
    region: env.ARTIFACT_S3_REGION,
    endpoint: trim(env.ARTIFACT_S3_ENDPOINT),
    publicEndpoint: trim(env.ARTIFACT_S3_PUBLIC_ENDPOINT) ?? trim(env.ARTIFACT_S3_ENDPOINT),
    forcePathStyle: env.ARTIFACT_S3_FORCE_PATH_STYLE,
  };
}

/** Retention periods, the sensitive one capped at the general one. */
export function artifactRetentionFrom(env: Pick<Env, "ARTIFACT_RETENTION_DAYS" | "ARTIFACT_RETENTION_SENSITIVE_DAYS">): ArtifactRetention {
  return { days: env.ARTIFACT_RETENTION_DAYS, sensitiveDays: Math.min(env.ARTIFACT_RETENTION_SENSITIVE_DAYS, env.ARTIFACT_RETENTION_DAYS) };
}

/** The retry policy the worker runs with, from the typed environment (its defaults are production's). */
export function retryPolicyFrom(env: Pick<Env, "RETRY_MAX_ATTEMPTS" | "RETRY_BASE_DELAY_SECONDS" | "RETRY_MIN_DELAY_SECONDS" | "RETRY_MAX_DELAY_SECONDS">): RetryPolicy {
  return {
    maxAttempts: env.RETRY_MAX_ATTEMPTS,
    baseDelayMs: env.RETRY_BASE_DELAY_SECONDS * 1000,
    minDelayMs: env.RETRY_MIN_DELAY_SECONDS * 1000,
    maxDelayMs: env.RETRY_MAX_DELAY_SECONDS * 1000,
  };
}

/** Bounds of the browser automation, from the typed environment. */
export function attemptTimeoutsFrom(env: Pick<Env, "PORTAL_NAVIGATION_TIMEOUT_SECONDS" | "PORTAL_ACTION_TIMEOUT_SECONDS" | "ATTEMPT_TIMEOUT_SECONDS">): AttemptTimeouts {
  return {
    navigationMs: env.PORTAL_NAVIGATION_TIMEOUT_SECONDS * 1000,
    actionMs: env.PORTAL_ACTION_TIMEOUT_SECONDS * 1000,
    attemptMs: env.ATTEMPT_TIMEOUT_SECONDS * 1000,
  };
}

export interface AttemptTimeouts {
  navigationMs: number;
  actionMs: number;
  attemptMs: number;
}

/**
 * ARTIFACT_URL_SECRET, required in production. Elsewhere a per-checkout secret is generated once
 * under NIGHTSHIFT_DATA_DIR (never a constant in code), so the web app and the worker share it.
 */
function artifactUrlSecret(env: Env): string {
  if (env.ARTIFACT_URL_SECRET) return env.ARTIFACT_URL_SECRET;
  if (env.NIGHTSHIFT_ENV === "prod") throw new IntegrationConfigError("ARTIFACT_URL_SECRET must be set when NIGHTSHIFT_ENV=prod (it signs the links to artifacts). See .env.example.");
  return readOrCreateSecretFile(path.join(env.NIGHTSHIFT_DATA_DIR, "artifact-url-secret"), () => randomBytes(32).toString("base64url"));
}

function secretKeysFrom(env: Env): SecretKeys {
  try {
    return resolveSecretKeys(env);
  } catch (error) {
    if (error instanceof SecretKeyError) throw new IntegrationConfigError(error.message);
    throw error;
  }
}
