import { z } from "zod";
import { isSandboxUrl, SANDBOX_CRM_TOKEN, sandboxPortalPassword } from "./sandbox-defaults";

/**
 * The typed environment. This module is the only reader of `process.env`; composition roots
 * (scripts/, jobs/main.ts, app route handlers via `getEnv()`) read it and pass plain values on.
 */

const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const port = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(fallback));
const onOff = (fallback: "on" | "off") =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : emptyAsUndefined(v)),
    z.enum(["on", "off", "true", "false", "1", "0"]).default(fallback).transform((v) => v === "on" || v === "true" || v === "1"),
  );

/** A JSON object given as one variable, e.g. PORTAL_URLS='{"arden":"https://…"}'. */
const jsonRecord = <T extends z.ZodType>(value: T) =>
  z.preprocess((raw) => {
    if (raw === undefined || raw === "") return undefined;
    if (typeof raw !== "string") return raw;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw; // reported below as "expected record"
    }
  }, z.record(z.string(), value).optional());

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Which deployment this is; drives the environment badge (dev grey, stage amber, prod red). */
  NIGHTSHIFT_ENV: z.enum(["dev", "stage", "prod"]).default("dev"),
  /** External Postgres. When unset, an embedded PostgreSQL is started under NIGHTSHIFT_DATA_DIR. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** Postgres for tests; when unset the test suite starts its own embedded cluster. */
  TEST_DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  NIGHTSHIFT_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".nightshift")),
  PG_PORT: port(54320),
  PORT: port(3000),
  HOSTNAME: z.preprocess(emptyAsUndefined, z.string().default("127.0.0.1")),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(["pretty", "json"]).optional()),
  /** On SIGTERM, how long in-flight attempts may finish before they are aborted (recorded as interrupted, rescheduled). */
  WORKER_DRAIN_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(600).default(20)),
  /** Searched for a system Chromium when CHROMIUM_PATH is unset. */
  PATH: z.string().default(""),
  /** Explicit Chromium/Chrome binary for Playwright; otherwise one is discovered on the PATH. */
  CHROMIUM_PATH: optionalString,
  WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(32).default(2)),
  /** Bearer token Prometheus sends to GET /api/metrics (Authorization: Bearer …); unset: the endpoint is off (404). */
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  /** A remote browser for the worker (ws://… of a Playwright `launchServer`/`run-server` or Browserless); unset: the worker launches its local Chromium. */
  BROWSER_WS_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^(wss?|https?)$/ }).optional()),
  /** How to speak to BROWSER_WS_ENDPOINT: `playwright` (chromium.connect, same major.minor as our playwright-core) or `cdp` (connectOverCDP). */
  BROWSER_PROTOCOL: z.preprocess(emptyAsUndefined, z.enum(["playwright", "cdp"]).default("playwright")),
  /** Relaunch the worker's browser after this many contexts (bounds its memory); in-flight attempts finish on the old one. */
  BROWSER_RECYCLE_CONTEXTS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(200)),
  /** …or after this many minutes, whichever comes first. */
  BROWSER_RECYCLE_MINUTES: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).default(60)),
  /**
   * The model tier of healing and the steering of Run now in words: `off` (the default: zero model
   * requests, provably), `openai`, `anthropic`, or `openai-compatible` (Ollama, vLLM, llama.cpp…,
   * at HEALING_LLM_BASE_URL).
   */
  HEALING_LLM: z.preprocess((v) => (typeof v === "string" ? v.trim().toLowerCase() : emptyAsUndefined(v)), z.enum(["off", "openai", "anthropic", "openai-compatible"]).default("off")),
  /** The model id, e.g. gpt-4o-mini, claude-3-5-haiku-latest, qwen2.5:7b-instruct (required unless HEALING_LLM=off). */
  HEALING_LLM_MODEL: optionalString,
  /** The provider's base URL (required for openai-compatible, e.g. http://127.0.0.1:11434/v1; optional otherwise). */
  HEALING_LLM_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** The provider's API key (optional for local openai-compatible servers). */
  HEALING_LLM_API_KEY: optionalString,
  /** One model request may take this long before it counts as a timeout. */
  HEALING_LLM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(120_000).default(15_000)),
  /** At most this many model requests per run (attempts included). */
  HEALING_LLM_MAX_CALLS_PER_RUN: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(50).default(3)),
  /** At most this many model requests per portal per UTC day. */
  HEALING_LLM_DAILY_CALLS_PER_PORTAL: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10_000).default(50)),
  /** Dollars per million input and output tokens, when the model is priced ("0.15,0.6"); unset: costs are not computed. */
  HEALING_LLM_PRICE_PER_MTOK: z.preprocess(emptyAsUndefined, z.string().regex(/^\d+(\.\d+)?,\d+(\.\d+)?$/, "must be 'input,output' dollars per million tokens, e.g. 0.15,0.6").optional()),
  /** Seconds without a heartbeat after which a worker counts as dead. */
  WORKER_STALE_AFTER_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).default(60)),
  /** How often a worker beats and sweeps for dead workers' jobs (default: 10 s, or a third of the stale threshold if that is less). */
  WORKER_HEARTBEAT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60).optional()),
  /** Start the simulated CRM and OEM portals with `npm start` (never in production). */
  SANDBOX: onOff("on"),
  SANDBOX_PORT: port(4010),
  /** CRM product: only a REST CRM (the sandbox speaks its protocol) so far. */
  CRM_PROVIDER: z.enum(["rest"]).default("rest"),
  /** CRM API base URL; defaults to the sandbox CRM when SANDBOX=on. */
  CRM_BASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** Bearer token for the CRM API; defaults to the sandbox's when SANDBOX=on. */
  CRM_TOKEN: optionalString,
  /** Standard Webhooks secret (whsec_…) the CRM signs webhooks with. `npm start` generates a local one in sandbox mode. */
  CRM_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, "must look like whsec_<base64>").optional()),
  /** JSON map OEM id → portal base URL; defaults to the sandbox portals when SANDBOX=on. */
  PORTAL_URLS: jsonRecord(z.url()),
  /**
   * JSON map OEM id → { username, password, totpSecret? }: the fallback when an admin has stored no
   * credentials for the portal (Portals page); defaults to the sandbox accounts when SANDBOX=on.
   */
  PORTAL_CREDENTIALS: jsonRecord(z.object({ username: z.string().min(1), password: z.string().min(1), totpSecret: z.string().min(1).optional() })),
  /** Artifact store folder (screenshots, DOM snapshots, traces); default NIGHTSHIFT_DATA_DIR/artifacts. */
  ARTIFACTS_DIR: optionalString,
  /** Where artifacts live: `local` (the ARTIFACTS_DIR folder, the default for `npm start`) or `s3` (an S3-compatible bucket). */
  ARTIFACT_STORE: z.preprocess(emptyAsUndefined, z.enum(["local", "s3"]).default("local")),
  /** The bucket of ARTIFACT_STORE=s3 (required then); one per environment, `nightshift-<env>-artifacts`. */
  ARTIFACT_S3_BUCKET: optionalString,
  /** The bucket's region (default us-east-1; MinIO and other local servers accept any). */
  ARTIFACT_S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("us-east-1")),
  /** An S3-compatible endpoint the worker and web app reach (MinIO, Ceph, R2…); unset: AWS's own for the region. */
  ARTIFACT_S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** The endpoint as the browser reaches it, when that is another host than ARTIFACT_S3_ENDPOINT (presigned links are signed for it); default the endpoint. */
  ARTIFACT_S3_PUBLIC_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Path-style addressing (`<endpoint>/<bucket>/<key>`), which MinIO and most local servers need; AWS uses virtual hosts. */
  ARTIFACT_S3_FORCE_PATH_STYLE: onOff("off"),
  /** Artifacts older than this many days are deleted daily (the run keeps a note that its evidence expired). */
  ARTIFACT_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(90)),
  /** The shorter period for the evidence of redaction-sensitive cases (never longer than ARTIFACT_RETENTION_DAYS). */
  ARTIFACT_RETENTION_SENSITIVE_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(30)),
  /** The app's public base URL (e.g. https://nightshift.example.com) for absolute links in CRM notes; unset: relative links. */
  NIGHTSHIFT_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** HMAC key signing artifact links. Required when NIGHTSHIFT_ENV=prod; otherwise generated once per checkout. */
  ARTIFACT_URL_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "must be at least 32 characters").optional()),
  /**
   * 32-byte key (base64 or hex) that seals portal credentials at rest (AES-256-GCM) and signs sign-in
   * sessions. Required when NIGHTSHIFT_ENV is stage or prod; in dev one is generated once per checkout.
   */
  NIGHTSHIFT_SECRET_KEY: optionalString,
  /** During a key rotation: the previous key(s), comma-separated, still accepted for reading (see README, "Key rotation"). */
  NIGHTSHIFT_SECRET_KEY_PREVIOUS: optionalString,
  /** Refuse every change for everyone (a wall screen, a migration); pages and reads keep working. */
  NIGHTSHIFT_READ_ONLY: onOff("off"),
  /**
   * SMTP server for alert and digest emails, e.g. smtp://user:pass@smtp.example.com:587 (STARTTLS when
   * offered) or smtps://…:465; unset = email destinations cannot be delivered (their deliveries fail with that sentence).
   */
  SMTP_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional()),
  /** The From of alert and digest emails, e.g. "Nightshift <nightshift@example.com>"; default nightshift@<host of NIGHTSHIFT_PUBLIC_URL, else localhost>. */
  ALERT_EMAIL_FROM: optionalString,
  /** While a critical alert stays open, each destination is reminded at most this often (hours). */
  ALERT_REMINDER_HOURS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(24 * 7).default(4)),
  /** How long a sign-in lasts without use (sliding), in hours. */
  SESSION_MAX_AGE_HOURS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.01).max(24 * 90).default(12)),
  /** OpenID Connect sign-in (Okta, Entra ID, Google Workspace, Keycloak): the issuer URL; unset = local accounts only. */
  OIDC_ISSUER: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  /** Scopes asked of the identity provider (space-separated); add e.g. "groups" where the IdP needs a scope for the groups claim (Okta). */
  OIDC_SCOPES: z.preprocess(emptyAsUndefined, z.string().default("openid email profile")),
  /** The sign-in button's label, e.g. "Okta". */
  OIDC_LABEL: z.preprocess(emptyAsUndefined, z.string().default("SSO")),
  /** The claim (ID token, else userinfo) that lists the person's groups. */
  OIDC_GROUPS_CLAIM: z.preprocess(emptyAsUndefined, z.string().default("groups")),
  /** JSON map group → role, e.g. '{"nightshift-admins":"admin","nightshift-ops":"ops"}'; the highest role wins, re-applied at every sign-in. */
  OIDC_ROLE_GROUPS: jsonRecord(z.enum(["viewer", "ops", "admin"])),
  /** Role of an SSO user none of whose groups is mapped; unset = signed in but no access. */
  OIDC_DEFAULT_ROLE: z.preprocess(emptyAsUndefined, z.enum(["viewer", "ops", "admin"]).optional()),
  /** Retry policy: attempts per run and the bounds of the jittered exponential backoff between them. */
  RETRY_MAX_ATTEMPTS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10).default(3)),
  RETRY_BASE_DELAY_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).default(240)),
  RETRY_MIN_DELAY_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).default(120)),
  RETRY_MAX_DELAY_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).default(600)),
  /** Tests and soak: also tick the nightly schedule every this many seconds (the crontab ticks once a minute). */
  SCHEDULE_TICK_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60).optional()),
  /** Bounds of the browser automation: page loads, single actions, and a whole attempt. */
  PORTAL_NAVIGATION_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(1).max(300).default(20)),
  PORTAL_ACTION_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(1).max(300).default(10)),
  ATTEMPT_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(10).max(3600).default(180)),
  /** Set by `npm start` for its children: skip migrations (done once by the launcher) and exit with the parent. */
  NIGHTSHIFT_SUPERVISED: onOff("off"),
});

/** The parsed environment, with the defaults that depend on other variables filled in. */
export type Env = Omit<z.infer<typeof envSchema>, "WORKER_HEARTBEAT_SECONDS"> & { WORKER_HEARTBEAT_SECONDS: number };

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "EnvError";
  }
}

/** Parses an environment record; throws an EnvError listing every problem at once. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  if (result.data.NIGHTSHIFT_ENV === "prod" && result.data.SANDBOX) {
    throw new EnvError(["SANDBOX: must be off when NIGHTSHIFT_ENV=prod (the sandbox simulates third parties)"]);
  }
  const data = result.data;
  if (data.NIGHTSHIFT_ENV === "prod") {
    const sandboxLeftovers = sandboxValuesIn(data);
    if (sandboxLeftovers.length > 0) throw new EnvError(sandboxLeftovers);
  }
  const oidc = [data.OIDC_ISSUER, data.OIDC_CLIENT_ID, data.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new EnvError(["OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three for SSO sign-in, or none"]);
  }
  if (data.ARTIFACT_STORE === "s3" && !data.ARTIFACT_S3_BUCKET) {
    throw new EnvError(["ARTIFACT_S3_BUCKET: must be set when ARTIFACT_STORE=s3 (the bucket artifacts are written to)"]);
  }
  if (data.RETRY_MIN_DELAY_SECONDS > data.RETRY_MAX_DELAY_SECONDS) {
    throw new EnvError(["RETRY_MIN_DELAY_SECONDS: must not exceed RETRY_MAX_DELAY_SECONDS"]);
  }
  if (data.WORKER_HEARTBEAT_SECONDS !== undefined && data.WORKER_HEARTBEAT_SECONDS * 2 > data.WORKER_STALE_AFTER_SECONDS) {
    // A live worker must be able to miss a beat without being declared dead.
    throw new EnvError(["WORKER_HEARTBEAT_SECONDS: must be at most half of WORKER_STALE_AFTER_SECONDS"]);
  }
  return { ...data, WORKER_HEARTBEAT_SECONDS: data.WORKER_HEARTBEAT_SECONDS ?? Math.max(1, Math.min(10, Math.floor(data.WORKER_STALE_AFTER_SECONDS / 3))) };
}

/** Prod refuses what points at the sandbox or is one of its well-known values (each a sentence, no secret in it). */
function sandboxValuesIn(data: z.infer<typeof envSchema>): string[] {
  const problems: string[] = [];
  if (data.CRM_BASE_URL && isSandboxUrl(data.CRM_BASE_URL, data.SANDBOX_PORT)) {
    problems.push(`CRM_BASE_URL: points at the sandbox CRM (${new URL(data.CRM_BASE_URL).host}); prod must talk to the real CRM`);
  }
  if (data.CRM_TOKEN === SANDBOX_CRM_TOKEN) problems.push("CRM_TOKEN: is the sandbox CRM's token; prod needs the real CRM's token");
  for (const [oemId, url] of Object.entries(data.PORTAL_URLS ?? {})) {
    if (isSandboxUrl(url, data.SANDBOX_PORT)) problems.push(`PORTAL_URLS.${oemId}: points at the sandbox portal; prod must use the real portal`);
  }
  for (const [oemId, account] of Object.entries(data.PORTAL_CREDENTIALS ?? {})) {
    if (account.password === sandboxPortalPassword(oemId)) problems.push(`PORTAL_CREDENTIALS.${oemId}: is the sandbox account; prod needs the portal's real account`);
  }
  return problems;
}

let cached: Env | undefined;

/** The process environment, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
