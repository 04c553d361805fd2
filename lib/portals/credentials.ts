/**
 * Portal credentials an admin stores on the Portals page: sealed at rest (lib/secrets/seal.ts,
 * AES-256-GCM, the OEM id as authenticated data), never returned by a read, never logged, never in
 * an audit row. The worker opens them per attempt; the environment's PORTAL_CREDENTIALS (or the
 * sandbox accounts) stay the fallback for a portal with nothing stored.
 *
 * Glossary: **stored** — a row of `portal_credentials`; **environment** — from PORTAL_CREDENTIALS
 * or the sandbox defaults; **missing** — neither (attempts fail `auth` until an admin sets them).
 */
import { eq, sql } from "drizzle-orm";
import { auditLog, oems, portalCredentials } from "@/drizzle/schema";
import type { PortalCredentials } from "../config/integrations";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { open, seal, SealError } from "../secrets/seal";
import type { SecretKeys } from "../secrets/secret-key";
import { portalCredentialsInputSchema, type CredentialSource, type PortalCredentialStatus } from "./credentials-input";
import { SLOT_WANTED_CHANNEL } from "./sessions";

/** The HKDF purpose of the sealing key: a sub-key used for nothing else. */
export const PORTAL_CREDENTIALS_PURPOSE = "portal-credentials";

export { CREDENTIAL_SOURCES, portalCredentialsInputSchema, totpSecretSchema, type CredentialSource, type PortalCredentialStatus } from "./credentials-input";

interface SealedPayload {
  u: string;
  p: string;
  t?: string;
}

function sealCredentials(keys: SecretKeys, oemId: string, credentials: PortalCredentials) {
  const payload: SealedPayload = { u: credentials.username, p: credentials.password, ...(credentials.totpSecret ? { t: credentials.totpSecret } : {}) };
  return seal(keys, JSON.stringify(payload), { purpose: PORTAL_CREDENTIALS_PURPOSE, aad: oemId });
}

function openCredentials(keys: SecretKeys, oemId: string, sealed: string): PortalCredentials {
  const payload = JSON.parse(open(keys, sealed, { purpose: PORTAL_CREDENTIALS_PURPOSE, aad: oemId })) as SealedPayload;
  return { username: payload.u, password: payload.p, ...(payload.t ? { totpSecret: payload.t } : {}) };
}

async function requirePortal(db: Db, oemId: string): Promise<{ label: string }> {
  const [oem] = await db.select({ label: oems.label }).from(oems).where(eq(oems.id, oemId));
  if (!oem) throw new AppError("not_found", "No such portal.");
  return oem;
}

/**
 * Stores (or replaces) a portal's credentials, sealed with the current key, and audits it without
 * any secret. Workers are asked to sign out their idle sessions of the portal (they were signed in
 * with the old credentials); a session in use ends with its attempt and is never reused, because
 * sessions are kept per credentials.
 */
export async function setPortalCredentials(
  db: Db,
  keys: SecretKeys,
  params: { oemId: string; input: unknown; actor: string },
): Promise<PortalCredentialStatus & { rotated: boolean }> {
  const parsed = portalCredentialsInputSchema.safeParse(params.input);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.map(String).join(".")] ??= []).push(issue.message);
    throw new AppError("bad_request", Object.entries(fields).map(([field, messages]) => `${field || "body"}: ${messages.join("; ")}`).join(". "), { fields });
  }
  const credentials = parsed.data;
  return db.transaction(async (tx) => {
    await requirePortal(tx, params.oemId);
    const sealed = sealCredentials(keys, params.oemId, credentials);
    const [before] = await tx.select({ oemId: portalCredentials.oemId }).from(portalCredentials).where(eq(portalCredentials.oemId, params.oemId)).for("update");
    const hasTotp = credentials.totpSecret !== undefined;
    const [row] = await tx
      .insert(portalCredentials)
      .values({ oemId: params.oemId, sealed: sealed.sealed, keyId: sealed.keyId, hasTotp, updatedBy: params.actor })
      .onConflictDoUpdate({ target: portalCredentials.oemId, set: { sealed: sealed.sealed, keyId: sealed.keyId, hasTotp, updatedBy: params.actor, updatedAt: sql`now()` } })
      .returning({ updatedAt: portalCredentials.updatedAt });
    await tx.insert(auditLog).values({ actor: params.actor, action: "set_portal_credentials", oemId: params.oemId, details: { rotated: before !== undefined, hasTotp, keyId: sealed.keyId } });
    // Delivered on commit: idle signed-in sessions of this portal are signed out and their slots given back.
    await tx.execute(sql`select pg_notify(${SLOT_WANTED_CHANNEL}, ${params.oemId})`);
    return { source: "stored", setAt: row!.updatedAt.toISOString(), setBy: params.actor, hasTotp, rotated: before !== undefined };
  });
}

/** Removes a portal's stored credentials (the environment's fallback applies again). Audited. */
export async function clearPortalCredentials(db: Db, params: { oemId: string; actor: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const { label } = await requirePortal(tx, params.oemId);
    const deleted = await tx.delete(portalCredentials).where(eq(portalCredentials.oemId, params.oemId)).returning({ oemId: portalCredentials.oemId });
    if (deleted.length === 0) throw new AppError("conflict", `No credentials are stored for ${label}.`);
    await tx.insert(auditLog).values({ actor: params.actor, action: "clear_portal_credentials", oemId: params.oemId, details: {} });
    await tx.execute(sql`select pg_notify(${SLOT_WANTED_CHANNEL}, ${params.oemId})`);
  });
}

/**
 * Every portal's credential status (no secret): stored (when, by whom), else from the
 * environment, else missing. `environment` says which portals the environment has credentials for.
 */
export async function listPortalCredentialStatus(db: Db, params: { environment: Record<string, { credentials: PortalCredentials | null } | undefined> }): Promise<Record<string, PortalCredentialStatus>> {
  const [all, stored] = await Promise.all([
    db.select({ id: oems.id }).from(oems),
    db.select({ oemId: portalCredentials.oemId, hasTotp: portalCredentials.hasTotp, updatedBy: portalCredentials.updatedBy, updatedAt: portalCredentials.updatedAt }).from(portalCredentials),
  ]);
  const byOem = new Map(stored.map((row) => [row.oemId, row]));
  return Object.fromEntries(
    all.map(({ id }): [string, PortalCredentialStatus] => {
      const row = byOem.get(id);
      if (row) return [id, { source: "stored", setAt: row.updatedAt.toISOString(), setBy: row.updatedBy, hasTotp: row.hasTotp }];
      const fromEnvironment = params.environment[id]?.credentials ?? null;
      return [id, { source: fromEnvironment ? "environment" : "missing", setAt: null, setBy: null, hasTotp: Boolean(fromEnvironment?.totpSecret) }];
    }),
  );
}

/** One portal's status (see `listPortalCredentialStatus`). */
export async function portalCredentialStatus(db: Db, params: { oemId: string; environment: Record<string, { credentials: PortalCredentials | null } | undefined> }): Promise<PortalCredentialStatus> {
  await requirePortal(db, params.oemId);
  return (await listPortalCredentialStatus(db, params))[params.oemId]!;
}

/** Credentials for an attempt, or why there are none (a sentence for the failure object; no secret in it). */
export type ResolvedCredentials =
  | { ok: true; credentials: PortalCredentials; source: Exclude<CredentialSource, "missing"> }
  | { ok: false; code: "credentials_missing" | "credentials_unreadable"; message: string };

/**
 * The worker's read, once per attempt: the stored credentials (opened with the current or a
 * previous key), else the environment's. A stored row that cannot be opened is not silently
 * replaced by the environment's: the admin must see it.
 */
export async function resolvePortalCredentials(db: Db, params: { oemId: string; keys: SecretKeys; fallback: PortalCredentials | null }): Promise<ResolvedCredentials> {
  const [row] = await db.select({ sealed: portalCredentials.sealed }).from(portalCredentials).where(eq(portalCredentials.oemId, params.oemId));
  if (row) {
    try {
      return { ok: true, credentials: openCredentials(params.keys, params.oemId, row.sealed), source: "stored" };
    } catch (error) {
      const reason = error instanceof SealError ? error.message : "They could not be read.";
      return { ok: false, code: "credentials_unreadable", message: `The stored credentials could not be opened. ${reason}` };
    }
  }
  if (params.fallback) return { ok: true, credentials: params.fallback, source: "environment" };
  return { ok: false, code: "credentials_missing", message: "No credentials are set for this portal: an admin sets them on the Portals page (or in PORTAL_CREDENTIALS)." };
}

export interface ResealReport {
  resealed: string[];
  alreadyCurrent: string[];
  /** OEM ids whose blob no configured key opens, with the reason (no secret). */
  failed: Array<{ oemId: string; reason: string }>;
}

/**
 * Key rotation: re-seals every stored credential with the current key (opened with the current or
 * a previous one). Rows already sealed with the current key are left alone; a row no key opens is
 * reported, never dropped. Audited once per re-sealed row.
 */
export async function resealPortalCredentials(db: Db, params: { keys: SecretKeys; actor: string }): Promise<ResealReport> {
  const report: ResealReport = { resealed: [], alreadyCurrent: [], failed: [] };
  const rows = await db.select({ oemId: portalCredentials.oemId }).from(portalCredentials).orderBy(portalCredentials.oemId);
  for (const { oemId } of rows) {
    await db.transaction(async (tx) => {
      const [row] = await tx.select({ sealed: portalCredentials.sealed, keyId: portalCredentials.keyId }).from(portalCredentials).where(eq(portalCredentials.oemId, oemId)).for("update");
      if (!row) return;
      if (row.keyId === params.keys.current.id) {
        report.alreadyCurrent.push(oemId);
        return;
      }
      let credentials: PortalCredentials;
      try {
        credentials = openCredentials(params.keys, oemId, row.sealed);
      } catch (error) {
        report.failed.push({ oemId, reason: error instanceof SealError ? error.message : "It could not be read." });
        return;
      }
      const sealed = sealCredentials(params.keys, oemId, credentials);
      // updated_by / updated_at say who set the credentials; a re-seal changes only how they are kept.
      await tx.update(portalCredentials).set({ sealed: sealed.sealed, keyId: sealed.keyId }).where(eq(portalCredentials.oemId, oemId));
      await tx.insert(auditLog).values({ actor: params.actor, action: "reseal_portal_credentials", oemId, details: { fromKeyId: row.keyId, toKeyId: sealed.keyId } });
      report.resealed.push(oemId);
    });
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// After a rotation: resume a portal paused for `auth` and re-queue its runs, in one action.

/**
 * The runs of paused portals that failed `auth` at or after the pause (aliases o, c, r): an `auth`
 * fail pauses its portal in the same transaction, so such a run is why the portal is paused.
 * Shared by the checks below and the Portals page's figures (portal-stats.ts).
 */
export const AUTH_FAILS_SINCE_PAUSE = sql`oems o join cases c on c.oem_id = o.id join runs r on r.case_id = c.id
  where o.paused_at is not null and r.error_class = 'auth' and r.finished_at >= o.paused_at`;

/** Whether the portal is paused because the portal refused the login, rather than by hand. */
export async function isPausedForAuth(db: Db, oemId: string): Promise<boolean> {
  const [row] = await db.execute<{ paused_for_auth: boolean }>(sql`
    select exists (select 1 from ${AUTH_FAILS_SINCE_PAUSE} and o.id = ${oemId}) as paused_for_auth`);
  return row?.paused_for_auth === true;
}

/** Runs of the portal that failed `auth` since its pause and whose case is still waiting on them (nothing newer started). */
export async function authFailedRunIds(db: Db, oemId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select r.id from ${AUTH_FAILS_SINCE_PAUSE}
      and c.oem_id = ${oemId} and r.status = 'failed' and c.status = 'failed'
      and not exists (select 1 from runs newer where newer.case_id = r.case_id and newer.created_at > r.created_at)
    order by r.finished_at`);
  return rows.map((row) => row.id);
}
