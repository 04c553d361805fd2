import { EnvError, parseEnv, type Env } from "../config/env";
import { compareEnvironments, describeEnvironment, type EnvironmentFacts, type EnvironmentFingerprint, type Violation } from "../config/environments";
import { generatedSecretsIn } from "../config/integrations";
import { connectDatabase, type Db } from "../db/client";
import { readAppliedSchema } from "../db/schema-version";
import { OEM_IDS } from "../oems/catalog";
import { resolvePortalCredentials } from "../portals/credentials";
import { readPromotedSettings } from "../promote/settings-transfer";
import { resolveSecretKeys } from "../secrets/secret-key";

/**
 * What only a database knows about an environment: its schema version, its promoted settings, and
 * the portal accounts its worker would sign in with (stored ones opened with its own key).
 */
export async function readDatabaseFacts(db: Db, env: Env): Promise<Pick<EnvironmentFacts, "schemaVersion" | "settings" | "portalAccounts">> {
  const schema = await readAppliedSchema(db);
  if (schema.latest === null) return { schemaVersion: null, settings: null };
  const settings = await readPromotedSettings(db);
  let keys: ReturnType<typeof resolveSecretKeys> | null = null;
  try {
    keys = resolveSecretKeys(env);
  } catch {
    keys = null; // reported by the secret-set rule; stored accounts then cannot be opened
  }
  const portalAccounts: NonNullable<EnvironmentFacts["portalAccounts"]> = {};
  for (const oemId of OEM_IDS) {
    const fallback = env.PORTAL_CREDENTIALS?.[oemId] ?? null;
    if (!keys) {
      portalAccounts[oemId] = fallback;
      continue;
    }
    const resolved = await resolvePortalCredentials(db, { oemId, keys, fallback });
    portalAccounts[oemId] = resolved.ok ? { username: resolved.credentials.username, password: resolved.credentials.password } : null;
  }
  return { schemaVersion: schema.latest, settings, portalAccounts };
}

export interface CompareSide {
  /** The env file's variables (its own, not this process's). */
  record: Record<string, string | undefined>;
  /** Where it came from, for messages (".env.stage"). */
  source: string;
}

export interface ComparisonResult {
  a: EnvironmentFingerprint;
  b: EnvironmentFingerprint;
  violations: Violation[];
  /** Sentences about a side that could not be read fully (its database unreachable). */
  notes: string[];
}

export class CompareInputError extends Error {
  override name = "CompareInputError";
}

/** Describes one side from its env record, connecting to its database when it names one. */
export async function describeSide(side: CompareSide, params: { crontab: string; hashKey: string }): Promise<{ fingerprint: EnvironmentFingerprint; notes: string[] }> {
  let env: Env;
  try {
    env = parseEnv(side.record);
  } catch (error) {
    if (error instanceof EnvError) throw new CompareInputError(`${side.source}: ${error.issues.join("; ")}`);
    throw error;
  }
  const notes: string[] = [];
  let facts: Pick<EnvironmentFacts, "schemaVersion" | "settings" | "portalAccounts"> = { schemaVersion: null, settings: null };
  if (env.DATABASE_URL) {
    const handle = connectDatabase(env.DATABASE_URL, { max: 1, name: "nightshift-doctor" });
    try {
      facts = await withTimeout(readDatabaseFacts(handle.db, env), 10_000);
    } catch (error) {
      notes.push(`${side.source}: its database could not be read (${describeError(error)}); schema and settings are unknown.`);
    } finally {
      await handle.close();
    }
  }
  const fingerprint = describeEnvironment(env, { crontab: params.crontab, generatedSecrets: generatedSecretsIn(env), hashKey: params.hashKey, ...facts });
  return { fingerprint, notes };
}

/** `npm run doctor -- --compare`: both sides described, and every broken rule. */
export async function compareEnvironmentFiles(a: CompareSide, b: CompareSide, params: { crontab: string; hashKey: string }): Promise<ComparisonResult> {
  const [sideA, sideB] = await Promise.all([describeSide(a, params), describeSide(b, params)]);
  return { a: sideA.fingerprint, b: sideB.fingerprint, violations: compareEnvironments(sideA.fingerprint, sideB.fingerprint), notes: [...sideA.notes, ...sideB.notes] };
}

function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause ? error.cause : error;
  const code = (cause as { code?: string }).code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "28P01") return "password refused";
  if (code === "3D000") return "no such database";
  return error instanceof Error && error.message === "timeout" ? "no answer in 10 s" : "error";
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
