/**
 * Environments with parity by construction: one definition of what must be IDENTICAL across stage
 * and prod (the queue's contract, the crontab, the retry policy, timeouts, the schema, and the
 * promoted schedule, recipe and portal limits) and what must DIFFER (database, artifact bucket,
 * secrets, CRM, portal accounts). Pure: `describeEnvironment` turns a parsed environment plus
 * facts read elsewhere (the crontab, the database) into a fingerprint in which every secret is a
 * keyed hash; `compareEnvironments` lists each broken rule with a sentence. Secrets never leave
 * `describeEnvironment` in clear.
 *
 * Glossary: **fingerprint** — what an environment is, as comparable data; **violation** — one
 * broken rule on one field, with a sentence a person can act on.
 */
import { createHmac } from "node:crypto";
import { PRODUCTION_RETRY_BOUNDS, SANDBOX_RETRY_BOUNDS } from "../batches/recipe";
import { OEM_IDS } from "../oems/catalog";
import { jobKeyForOutboxEntry, jobKeyForRun, oemFlag, PRIORITY, TASK_IDS } from "../queue/tasks";
import type { Env } from "./env";

export const ENVIRONMENT_NAMES = ["dev", "stage", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The secrets that must be set on stage and prod, and never shared between them. */
export const DISTINCT_SECRETS = ["NIGHTSHIFT_SECRET_KEY", "ARTIFACT_URL_SECRET", "CRM_WEBHOOK_SECRET"] as const;
export type DistinctSecret = (typeof DISTINCT_SECRETS)[number];

export type RuleKind = "identical" | "differ";

export interface EnvironmentRule {
  id: string;
  kind: RuleKind;
  /** What the rule asks, in one sentence (docs, the doctor's output). */
  sentence: string;
}

/** Every rule, in the order the doctor reports them. */
export const ENVIRONMENT_RULES = [
  { id: "task-ids", kind: "identical", sentence: "Both environments run the same task ids (lib/queue/tasks.ts)." },
  { id: "queue-names", kind: "identical", sentence: "Both environments use the same job queues, flags and priorities." },
  { id: "job-key-formats", kind: "identical", sentence: "Both environments make job keys in the same formats." },
  { id: "crontab", kind: "identical", sentence: "Both environments have the same crontab entries (jobs/crontab.ts)." },
  { id: "retry-policy", kind: "identical", sentence: "Both environments retry with the same attempts and delay bounds (RETRY_*)." },
  { id: "timeouts", kind: "identical", sentence: "Both environments bound page loads, actions and attempts with the same timeouts." },
  { id: "schema-version", kind: "identical", sentence: "Both databases have the same latest migration applied." },
  { id: "schedule-promoted", kind: "identical", sentence: "Prod runs the schedule rehearsed on stage (Settings → Promote)." },
  { id: "recipe-promoted", kind: "identical", sentence: "Prod runs the recipe rehearsed on stage (Settings → Promote)." },
  { id: "portal-limits-promoted", kind: "identical", sentence: "Prod uses the per-portal session limits rehearsed on stage (Settings → Promote)." },
  { id: "environment-names", kind: "differ", sentence: "The two sides are different environments (NIGHTSHIFT_ENV), each named stage or prod." },
  { id: "database-distinct", kind: "differ", sentence: "Each environment has its own database." },
  { id: "bucket-name", kind: "differ", sentence: "With ARTIFACT_STORE=s3 the bucket is named nightshift-<env>-artifacts." },
  { id: "bucket-distinct", kind: "differ", sentence: "Each environment keeps its artifacts in its own bucket (or folder)." },
  { id: "secret-set", kind: "differ", sentence: "Stage and prod set every secret explicitly (no generated per-checkout value)." },
  { id: "secret-distinct", kind: "differ", sentence: "A prod secret never equals a stage secret (compared as hashes)." },
  { id: "crm-distinct", kind: "differ", sentence: "Each environment talks to its own CRM base URL." },
  { id: "crm-token-distinct", kind: "differ", sentence: "Each environment has its own CRM token." },
  { id: "portal-accounts-distinct", kind: "differ", sentence: "Each environment signs in to the portals with its own accounts." },
] as const satisfies readonly EnvironmentRule[];

export type RuleId = (typeof ENVIRONMENT_RULES)[number]["id"];

export interface Violation {
  rule: RuleId;
  /** What differs (or is shared), e.g. "RETRY_MAX_DELAY_SECONDS" or "secrets.CRM_WEBHOOK_SECRET". */
  field: string;
  /** What is wrong and what to do, never with a secret in it. */
  sentence: string;
}

/** A secret as the fingerprint shows it: a keyed hash prefix, or null when unset. */
export type HashedSecret = `hmac:${string}` | null;

/** The schedule, recipe and portal limits a database holds (as promoted by Settings → Promote). */
export interface PromotedSettingsFacts {
  schedule: unknown;
  recipe: unknown;
  portalLimits: unknown;
}

export interface EnvironmentFacts {
  /** jobs/crontab.ts `createCrontab()`; read by a composition root (lib/ may not import jobs/). */
  crontab: string;
  /** The latest migration applied to the database (its journal tag), or null when unknown. */
  schemaVersion: string | null;
  /** From the database; null when it could not be read. */
  settings: PromotedSettingsFacts | null;
  /**
   * The portal accounts the worker would sign in with, per OEM (stored ones opened, else the
   * environment's); hashed here, never kept. Absent: taken from PORTAL_CREDENTIALS.
   */
  portalAccounts?: Record<string, { username: string; password: string } | null>;
  /** Names of secrets whose value is a per-checkout generated one (dev default), e.g. read from NIGHTSHIFT_DATA_DIR. */
  generatedSecrets?: DistinctSecret[];
  /** Key of the secret hashes: one per comparison run, so a printed hash says nothing on its own. */
  hashKey?: string;
}

export interface EnvironmentFingerprint {
  env: EnvironmentName;
  sandbox: boolean;
  identical: {
    taskIds: string[];
    queueNames: { queues: string[]; flags: string[]; priorities: Record<string, number> };
    jobKeyFormats: string[];
    crontab: string[];
    retry: { RETRY_MAX_ATTEMPTS: number; RETRY_BASE_DELAY_SECONDS: number; RETRY_MIN_DELAY_SECONDS: number; RETRY_MAX_DELAY_SECONDS: number; recipeMinDelaySeconds: number; recipeMaxDelaySeconds: number };
    timeouts: { PORTAL_NAVIGATION_TIMEOUT_SECONDS: number; PORTAL_ACTION_TIMEOUT_SECONDS: number; ATTEMPT_TIMEOUT_SECONDS: number };
    schemaVersion: string | null;
    schedule: unknown;
    recipe: unknown;
    portalLimits: unknown;
  };
  differ: {
    /** host:port/name, without user or password; null when no DATABASE_URL (the embedded one). */
    database: string | null;
    artifacts: { store: "local" | "s3"; bucket: string | null; endpoint: string | null; dir: string | null };
    secrets: Record<DistinctSecret, HashedSecret>;
    generatedSecrets: DistinctSecret[];
    crm: { baseUrl: string | null; token: HashedSecret };
    portalAccounts: Record<string, HashedSecret>;
  };
}

/** The fixed hash key of tests and single descriptions; the doctor's --compare passes a random one. */
export const DEFAULT_HASH_KEY = "nightshift-environment-fingerprint";

function hashSecret(value: string | undefined | null, key: string): HashedSecret {
  if (!value) return null;
  return `hmac:${createHmac("sha256", key).update(value).digest("hex").slice(0, 16)}`;
}

/** Where a Postgres URL points, without its credentials. */
export function databaseIdentity(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname || "/"}`;
  } catch {
    return null;
  }
}

/** The bucket name the `bucket-name` rule asks for. */
export function expectedBucketName(env: EnvironmentName): string {
  return `nightshift-${env}-artifacts`;
}

function crontabLines(crontab: string): string[] {
  return crontab
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** An environment as comparable data; every secret hashed with `facts.hashKey`. */
export function describeEnvironment(env: Env, facts: EnvironmentFacts): EnvironmentFingerprint {
  const key = facts.hashKey ?? DEFAULT_HASH_KEY;
  const bounds = env.SANDBOX ? SANDBOX_RETRY_BOUNDS : PRODUCTION_RETRY_BOUNDS;
  const accounts = facts.portalAccounts ?? Object.fromEntries(OEM_IDS.map((id) => [id, env.PORTAL_CREDENTIALS?.[id] ?? null]));
  const s3 = env.ARTIFACT_STORE === "s3";
  return {
    env: env.NIGHTSHIFT_ENV,
    sandbox: env.SANDBOX,
    identical: {
      taskIds: [...TASK_IDS].sort(),
      // No graphile-worker named queue is used: submissions run in parallel, limited per portal by flags and slots.
      queueNames: { queues: [], flags: OEM_IDS.map(oemFlag), priorities: { ...PRIORITY } },
      jobKeyFormats: [jobKeyForRun("<runId>"), jobKeyForOutboxEntry("<outboxId>"), "watch:<batchId>"],
      crontab: crontabLines(facts.crontab),
      retry: {
        RETRY_MAX_ATTEMPTS: env.RETRY_MAX_ATTEMPTS,
        RETRY_BASE_DELAY_SECONDS: env.RETRY_BASE_DELAY_SECONDS,
        RETRY_MIN_DELAY_SECONDS: env.RETRY_MIN_DELAY_SECONDS,
        RETRY_MAX_DELAY_SECONDS: env.RETRY_MAX_DELAY_SECONDS,
        recipeMinDelaySeconds: bounds.minDelaySeconds,
        recipeMaxDelaySeconds: bounds.maxDelaySeconds,
      },
      timeouts: {
        PORTAL_NAVIGATION_TIMEOUT_SECONDS: env.PORTAL_NAVIGATION_TIMEOUT_SECONDS,
        PORTAL_ACTION_TIMEOUT_SECONDS: env.PORTAL_ACTION_TIMEOUT_SECONDS,
        ATTEMPT_TIMEOUT_SECONDS: env.ATTEMPT_TIMEOUT_SECONDS,
      },
      schemaVersion: facts.schemaVersion,
      schedule: facts.settings?.schedule ?? null,
      recipe: facts.settings?.recipe ?? null,
      portalLimits: facts.settings?.portalLimits ?? null,
    },
    differ: {
      database: databaseIdentity(env.DATABASE_URL),
      artifacts: {
        store: env.ARTIFACT_STORE,
        bucket: s3 ? (env.ARTIFACT_S3_BUCKET ?? null) : null,
        endpoint: s3 ? (env.ARTIFACT_S3_ENDPOINT ?? null) : null,
        dir: s3 ? null : (env.ARTIFACTS_DIR ?? `${env.NIGHTSHIFT_DATA_DIR.replace(/\/+$/, "")}/artifacts`),
      },
      secrets: {
        NIGHTSHIFT_SECRET_KEY: hashSecret(env.NIGHTSHIFT_SECRET_KEY, key),
        ARTIFACT_URL_SECRET: hashSecret(env.ARTIFACT_URL_SECRET, key),
        CRM_WEBHOOK_SECRET: hashSecret(env.CRM_WEBHOOK_SECRET, key),
      },
      generatedSecrets: [...(facts.generatedSecrets ?? [])],
      crm: { baseUrl: env.CRM_BASE_URL?.replace(/\/+$/, "") ?? null, token: hashSecret(env.CRM_TOKEN, key) },
      portalAccounts: Object.fromEntries(Object.entries(accounts).map(([oem, account]) => [oem, account ? hashSecret(`${account.username}\u0000${account.password}`, key) : null])),
    },
  };
}

/** Stable JSON (sorted keys) for comparing plain data. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

/** The fields of two flat records whose values differ. */
function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k])).sort();
}

function listDiff(a: string[], b: string[]): string {
  const onlyA = a.filter((x) => !b.includes(x));
  const onlyB = b.filter((x) => !a.includes(x));
  return [onlyA.length ? `only on the first: ${onlyA.join(", ")}` : "", onlyB.length ? `only on the second: ${onlyB.join(", ")}` : ""].filter(Boolean).join("; ") || "same entries in a different order";
}

/**
 * Every broken rule between two environments (typically stage and prod), in rule order. Values
 * named in sentences are the non-secret ones (numbers, names, URLs without credentials); a secret
 * is only ever said to be "shared" or "unset".
 */
export function compareEnvironments(a: EnvironmentFingerprint, b: EnvironmentFingerprint): Violation[] {
  const out: Violation[] = [];
  const sides = `${a.env} and ${b.env}`;
  const ia = a.identical;
  const ib = b.identical;

  if (!same(ia.taskIds, ib.taskIds)) out.push({ rule: "task-ids", field: "taskIds", sentence: `The task ids differ (${listDiff(ia.taskIds, ib.taskIds)}): deploy the same release to ${sides}.` });
  if (!same(ia.queueNames, ib.queueNames)) out.push({ rule: "queue-names", field: "queueNames", sentence: `The job queues, flags or priorities differ between ${sides}: deploy the same release to both.` });
  if (!same(ia.jobKeyFormats, ib.jobKeyFormats)) out.push({ rule: "job-key-formats", field: "jobKeyFormats", sentence: `The job key formats differ (${listDiff(ia.jobKeyFormats, ib.jobKeyFormats)}): deploy the same release to ${sides}.` });
  if (!same(ia.crontab, ib.crontab)) out.push({ rule: "crontab", field: "crontab", sentence: `The crontab differs (${listDiff(ia.crontab, ib.crontab)}): deploy the same jobs/crontab.ts to ${sides}.` });
  for (const field of differingKeys(ia.retry, ib.retry)) {
    const va = ia.retry[field as keyof typeof ia.retry];
    const vb = ib.retry[field as keyof typeof ib.retry];
    const fix = field.startsWith("recipe") ? "the recipe's retry bounds follow SANDBOX: run both with SANDBOX=off" : `set ${field} to the same value on both`;
    out.push({ rule: "retry-policy", field, sentence: `${field} is ${va} on ${a.env} but ${vb} on ${b.env}: ${fix}.` });
  }
  for (const field of differingKeys(ia.timeouts, ib.timeouts)) {
    out.push({ rule: "timeouts", field, sentence: `${field} is ${ia.timeouts[field as keyof typeof ia.timeouts]} on ${a.env} but ${ib.timeouts[field as keyof typeof ib.timeouts]} on ${b.env}: set it to the same value on both.` });
  }
  if (ia.schemaVersion === null || ib.schemaVersion === null) {
    const unknown = [ia.schemaVersion === null ? a.env : null, ib.schemaVersion === null ? b.env : null].filter(Boolean).join(" and ");
    out.push({ rule: "schema-version", field: "schemaVersion", sentence: `The schema version of ${unknown} could not be read (database unreachable or not migrated): run npm run db:migrate there.` });
  } else if (ia.schemaVersion !== ib.schemaVersion) {
    out.push({ rule: "schema-version", field: "schemaVersion", sentence: `${a.env} is at migration ${ia.schemaVersion} but ${b.env} at ${ib.schemaVersion}: migrate the one behind (npm run db:migrate with the same release).` });
  }
  const promoted = [
    ["schedule-promoted", "schedule"],
    ["recipe-promoted", "recipe"],
    ["portal-limits-promoted", "portalLimits"],
  ] as const;
  for (const [rule, field] of promoted) {
    if (ia[field] === null || ib[field] === null) continue; // unknown: reported by schema-version when a database is unreachable
    if (!same(ia[field], ib[field])) {
      const fields = typeof ia[field] === "object" && typeof ib[field] === "object" ? differingKeys(ia[field] as Record<string, unknown>, ib[field] as Record<string, unknown>) : [];
      out.push({ rule, field, sentence: `The ${field === "portalLimits" ? "per-portal limits" : field} on ${b.env} differ${fields.length ? ` (${fields.join(", ")})` : ""} from ${a.env}: export it on ${a.env} and import it on ${b.env} (Settings → Promote).` });
    }
  }

  for (const side of [a, b]) {
    if (side.env === "dev") out.push({ rule: "environment-names", field: "NIGHTSHIFT_ENV", sentence: `One side is NIGHTSHIFT_ENV=dev: compare a stage and a prod environment file.` });
  }
  if (a.env === b.env) out.push({ rule: "environment-names", field: "NIGHTSHIFT_ENV", sentence: `Both sides say NIGHTSHIFT_ENV=${a.env}: one env file names the wrong environment.` });
  if (a.differ.database === null || b.differ.database === null) {
    const missing = [a.differ.database === null ? a.env : null, b.differ.database === null ? b.env : null].filter(Boolean).join(" and ");
    out.push({ rule: "database-distinct", field: "DATABASE_URL", sentence: `DATABASE_URL is not set for ${missing}: a deployed environment names its own database.` });
  } else if (a.differ.database === b.differ.database) {
    out.push({ rule: "database-distinct", field: "DATABASE_URL", sentence: `${sides} use the same database (${a.differ.database}): give each its own.` });
  }
  for (const side of [a, b]) {
    if (side.differ.artifacts.store !== "s3" || side.env === "dev") continue;
    const expected = expectedBucketName(side.env);
    if (side.differ.artifacts.bucket !== expected) {
      out.push({ rule: "bucket-name", field: `${side.env}.ARTIFACT_S3_BUCKET`, sentence: `${side.env}'s bucket is ${side.differ.artifacts.bucket ?? "unset"}, not ${expected}: name it ${expected}.` });
    }
  }
  const storeA = a.differ.artifacts;
  const storeB = b.differ.artifacts;
  if (storeA.store === "s3" && storeB.store === "s3" && storeA.bucket !== null && storeA.bucket === storeB.bucket && (storeA.endpoint ?? "") === (storeB.endpoint ?? "")) {
    out.push({ rule: "bucket-distinct", field: "ARTIFACT_S3_BUCKET", sentence: `${sides} share the bucket ${storeA.bucket}: give each its own (${expectedBucketName("stage")}, ${expectedBucketName("prod")}).` });
  } else if (storeA.store === "local" && storeB.store === "local" && storeA.dir === storeB.dir && a.differ.database !== null && a.differ.database.split("/")[0] === b.differ.database?.split("/")[0]) {
    // Local folders only collide on one host; the database host stands in for "same machine".
    out.push({ rule: "bucket-distinct", field: "ARTIFACTS_DIR", sentence: `${sides} keep artifacts in the same folder (${storeA.dir}) on one host: give each its own ARTIFACTS_DIR or use ARTIFACT_STORE=s3.` });
  }
  for (const side of [a, b]) {
    if (side.env === "dev") continue;
    for (const name of DISTINCT_SECRETS) {
      if (side.differ.secrets[name] === null) out.push({ rule: "secret-set", field: `${side.env}.${name}`, sentence: `${name} is not set on ${side.env}: set it in its env file (openssl rand -base64 32).` });
      else if (side.differ.generatedSecrets.includes(name)) out.push({ rule: "secret-set", field: `${side.env}.${name}`, sentence: `${name} on ${side.env} is a generated per-checkout (dev) value: set a real one.` });
    }
  }
  for (const name of DISTINCT_SECRETS) {
    const ha = a.differ.secrets[name];
    if (ha !== null && ha === b.differ.secrets[name]) out.push({ rule: "secret-distinct", field: `secrets.${name}`, sentence: `${name} is the same on ${sides}: give ${b.env} its own (the value is not shown).` });
  }
  if (a.differ.crm.baseUrl !== null && a.differ.crm.baseUrl === b.differ.crm.baseUrl) {
    out.push({ rule: "crm-distinct", field: "CRM_BASE_URL", sentence: `${sides} talk to the same CRM (${a.differ.crm.baseUrl}): point stage at the CRM's test instance.` });
  }
  if (a.differ.crm.token !== null && a.differ.crm.token === b.differ.crm.token) {
    out.push({ rule: "crm-token-distinct", field: "CRM_TOKEN", sentence: `CRM_TOKEN is the same on ${sides}: give each environment its own token (the value is not shown).` });
  }
  for (const oem of [...new Set([...Object.keys(a.differ.portalAccounts), ...Object.keys(b.differ.portalAccounts)])].sort()) {
    const ha = a.differ.portalAccounts[oem] ?? null;
    if (ha !== null && ha === (b.differ.portalAccounts[oem] ?? null)) {
      out.push({ rule: "portal-accounts-distinct", field: `portalAccounts.${oem}`, sentence: `${sides} sign in to the ${oem} portal with the same account: give stage its own (Portals page or PORTAL_CREDENTIALS).` });
    }
  }
  const order = ENVIRONMENT_RULES.map((r) => r.id as string);
  return out.sort((x, y) => order.indexOf(x.rule) - order.indexOf(y.rule));
}
