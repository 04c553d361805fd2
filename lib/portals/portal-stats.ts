/**
 * The Portals page: per OEM portal, how its attempts went over the last 24 hours and 7 days, how
 * long they take (p95), its last terminal fail with the reason, its session limit from the saved
 * recipe, the sessions it holds now, whether it is paused, and how often its adapter met a changed
 * site this week.
 *
 * Success is **attempt-based**: of the attempts that ended in the window (succeeded or failed),
 * the share that succeeded. Interrupted attempts (a worker lost or shut down) are not the
 * portal's doing and count in neither. Each figure set is one grouped query over every portal,
 * windowed on an indexed column (attempts.started_at, runs.status), never a query per portal.
 */
import { sql } from "drizzle-orm";
import { oems, portalSessions } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { TERMINAL_FAIL_STATUSES, isOneOf, type ErrorClass, type TerminalFailStatus } from "../domain/vocabulary";
import { portalLimit } from "../batches/recipe";
import { getSavedRecipe } from "../batches/recipe-store";
import { isErrorClass } from "../runs/taxonomy";
import type { PortalCredentials } from "../config/integrations";
import { AUTH_FAILS_SINCE_PAUSE, listPortalCredentialStatus, type PortalCredentialStatus } from "./credentials";

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Attempts that ended inside one window. */
export interface AttemptWindow {
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed); null when none ended. */
  successRate: number | null;
  /** 95th percentile of started → finished over the ended attempts (ms); null when none ended. */
  p95Ms: number | null;
}

export interface PortalLastFailure {
  runId: string;
  caseId: string;
  reference: string;
  status: TerminalFailStatus;
  errorClass: ErrorClass | null;
  /** The failure object's sentence; null for an old run without one. */
  reason: string | null;
  finishedAt: Date;
}

export interface PortalStat {
  id: string;
  label: string;
  color: string;
  monogram: string;
  portalUrl: string | null;
  pausedAt: Date | null;
  pausedReason: string | null;
  day: AttemptWindow;
  week: AttemptWindow;
  /** Attempts classed `site_changed` in the last 7 days (its adapter met a portal that changed). */
  siteChangedWeek: number;
  lastFailure: PortalLastFailure | null;
  /** Session limit of the saved recipe, and whether it is this portal's own or the recipe's default. */
  limit: number;
  limitSource: "portal" | "default";
  /** Rows of portal_sessions now: sessions filing (a run holds them) and signed-in sessions kept for reuse. */
  sessions: { inUse: number; filing: number; idle: number };
  /** Where its credentials come from and when they were set (never a secret). */
  credentials: PortalCredentialStatus;
  /** Paused because the portal refused the login (not by hand): saving new credentials can resume it. */
  pausedForAuth: boolean;
  /** Runs that failed `auth` since the pause, which a resume with new credentials re-queues. */
  authFailedRuns: number;
}

export interface PortalStats {
  generatedAt: Date;
  /** The saved recipe version the limits come from; null while the defaults apply. */
  recipeVersion: number | null;
  portals: PortalStat[];
}

export interface GetPortalStatsParams {
  now?: Date;
  /** The environment's credentials per portal (Integrations.portals): the fallback the status reports. */
  credentialEnvironment?: Record<string, { credentials: PortalCredentials | null } | undefined>;
}

interface AttemptRow extends Record<string, unknown> {
  oem_id: string;
  day_succeeded: number;
  day_failed: number;
  day_p95: number | null;
  week_succeeded: number;
  week_failed: number;
  week_p95: number | null;
  site_changed: number;
}

interface FailureRow extends Record<string, unknown> {
  oem_id: string;
  run_id: string;
  case_id: string;
  reference: string;
  status: string;
  error_class: string | null;
  reason: string | null;
  finished_at: string;
}

/** Every portal's figures, in the catalog's display order (by label). */
export async function getPortalStats(db: Db, params: GetPortalStatsParams = {}): Promise<PortalStats> {
  const now = params.now ?? new Date();
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const weekAgo = new Date(now.getTime() - WEEK_MS).toISOString();
  const nowIso = now.toISOString();

  const [oemRows, attemptRows, failureRows, sessionRows, saved, credentialStatus, authRows] = await Promise.all([
    db
      .select({ id: oems.id, label: oems.label, color: oems.color, monogram: oems.monogram, portalUrl: oems.portalUrl, pausedAt: oems.pausedAt, pausedReason: oems.pausedReason })
      .from(oems)
      .orderBy(oems.label),
    // One pass over the week's attempts (attempts_started_at_idx), both windows at once.
    db.execute<AttemptRow>(sql`
      select c.oem_id,
        count(*) filter (where a.status = 'succeeded' and a.started_at >= ${dayAgo}::timestamptz)::int as day_succeeded,
        count(*) filter (where a.status = 'failed' and a.started_at >= ${dayAgo}::timestamptz)::int as day_failed,
        percentile_cont(0.95) within group (order by extract(epoch from a.finished_at - a.started_at) * 1000)
          filter (where a.status in ('succeeded', 'failed') and a.finished_at is not null and a.started_at >= ${dayAgo}::timestamptz) as day_p95,
        count(*) filter (where a.status = 'succeeded')::int as week_succeeded,
        count(*) filter (where a.status = 'failed')::int as week_failed,
        percentile_cont(0.95) within group (order by extract(epoch from a.finished_at - a.started_at) * 1000)
          filter (where a.status in ('succeeded', 'failed') and a.finished_at is not null) as week_p95,
        count(*) filter (where a.error_class = 'site_changed')::int as site_changed
      from attempts a
      join runs r on r.id = a.run_id
      join cases c on c.id = r.case_id
      where a.started_at >= ${weekAgo}::timestamptz and a.started_at <= ${nowIso}::timestamptz
      group by c.oem_id`),
    // The newest terminal fail per portal: few rows carry a terminal status (runs_status_idx).
    db.execute<FailureRow>(sql`
      select distinct on (c.oem_id) c.oem_id, r.id as run_id, c.id as case_id, c.reference, r.status, r.error_class,
        r.failure ->> 'reason' as reason, r.finished_at
      from runs r
      join cases c on c.id = r.case_id
      where r.status in (${sql.join(TERMINAL_FAIL_STATUSES.map((s) => sql`${s}`), sql`, `)}) and r.finished_at is not null and r.finished_at <= ${nowIso}::timestamptz
      order by c.oem_id, r.finished_at desc, r.id desc`),
    db
      .select({ oemId: portalSessions.oemId, inUse: sql<number>`count(*)::int`, filing: sql<number>`count(${portalSessions.runId})::int` })
      .from(portalSessions)
      .groupBy(portalSessions.oemId),
    getSavedRecipe(db),
    listPortalCredentialStatus(db, { environment: params.credentialEnvironment ?? {} }),
    // Paused portals only: the runs that failed `auth` at or after the pause (see isPausedForAuth).
    db.execute<{ oem_id: string; n: number }>(sql`
      select c.oem_id, count(*) filter (where c.status = 'failed')::int as n from ${AUTH_FAILS_SINCE_PAUSE} group by c.oem_id`),
  ]);

  const attemptsByOem = new Map(attemptRows.map((row) => [row.oem_id, row]));
  const failureByOem = new Map(failureRows.map((row) => [row.oem_id, row]));
  const sessionsByOem = new Map(sessionRows.map((row) => [row.oemId, row]));
  const authByOem = new Map(authRows.map((row) => [row.oem_id, row.n]));

  return {
    generatedAt: now,
    recipeVersion: saved.version,
    portals: oemRows.map((oem): PortalStat => {
      const attempts = attemptsByOem.get(oem.id);
      const failure = failureByOem.get(oem.id);
      const sessions = sessionsByOem.get(oem.id);
      const inUse = sessions?.inUse ?? 0;
      const filing = sessions?.filing ?? 0;
      return {
        ...oem,
        day: attemptWindow(attempts?.day_succeeded ?? 0, attempts?.day_failed ?? 0, attempts?.day_p95 ?? null),
        week: attemptWindow(attempts?.week_succeeded ?? 0, attempts?.week_failed ?? 0, attempts?.week_p95 ?? null),
        siteChangedWeek: attempts?.site_changed ?? 0,
        lastFailure: failure && isOneOf(TERMINAL_FAIL_STATUSES, failure.status) ? toLastFailure(failure, failure.status) : null,
        limit: portalLimit(saved.recipe, oem.id),
        limitSource: saved.recipe.portalConcurrency[oem.id] === undefined ? "default" : "portal",
        sessions: { inUse, filing, idle: inUse - filing },
        credentials: credentialStatus[oem.id] ?? { source: "missing", setAt: null, setBy: null, hasTotp: false },
        pausedForAuth: authByOem.has(oem.id),
        authFailedRuns: authByOem.get(oem.id) ?? 0,
      };
    }),
  };
}

/** The figures of one window from its counts and percentile (pure). */
export function attemptWindow(succeeded: number, failed: number, p95Ms: number | string | null): AttemptWindow {
  const ended = succeeded + failed;
  // percentile_cont returns double precision; postgres.js may hand numerics over as strings.
  const p95 = p95Ms === null ? null : Number(p95Ms);
  return { succeeded, failed, successRate: ended === 0 ? null : succeeded / ended, p95Ms: ended === 0 || p95 === null || !Number.isFinite(p95) ? null : Math.round(p95) };
}

function toLastFailure(row: FailureRow, status: TerminalFailStatus): PortalLastFailure {
  return {
    runId: row.run_id,
    caseId: row.case_id,
    reference: row.reference,
    status,
    errorClass: isErrorClass(row.error_class) ? row.error_class : null,
    reason: row.reason,
    finishedAt: new Date(row.finished_at),
  };
}
