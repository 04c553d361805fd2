/**
 * The `site_changed` spike: when a portal's page changes under the automation, many runs end in
 * the same terminal fail within minutes. At SPIKE.count such fails on one portal within
 * SPIKE.windowMinutes, one critical alert is raised (where runs fail, lib/runs/fail-run.ts); it is
 * resolved when the portal recovers — a run on it is submitted after the alert was raised (the
 * alert scan checks, lib/alerts/notify-alerts.ts).
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { alerts, cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { TERMINAL_FAIL_STATUSES } from "../domain/vocabulary";
import { SITE_CHANGED_SPIKE_KIND } from "./vocabulary";

export const SITE_CHANGED_SPIKE = { count: 3, windowMinutes: 30 } as const;

/**
 * Raises the spike alert of a portal when its recent site_changed terminal fails reach the
 * threshold and none is open. Runs in the failing run's transaction, after the run was marked; a
 * transaction-scoped advisory lock per portal keeps two failing runs from raising it twice.
 */
export async function raiseSiteChangedSpikeIfAny(tx: Db, params: { oemId: string; oemLabel: string }): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`nightshift:site_changed_spike:${params.oemId}`}))`);
  const [open] = await tx
    .select({ id: alerts.id })
    .from(alerts)
    .where(and(eq(alerts.kind, SITE_CHANGED_SPIKE_KIND), eq(alerts.oemId, params.oemId), isNull(alerts.resolvedAt)))
    .limit(1);
  if (open) return false;
  const [recent] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(runs)
    .innerJoin(cases, eq(cases.id, runs.caseId))
    .where(
      and(
        eq(cases.oemId, params.oemId),
        eq(runs.errorClass, "site_changed"),
        inArray(runs.status, [...TERMINAL_FAIL_STATUSES]),
        sql`${runs.finishedAt} >= now() - ${`${SITE_CHANGED_SPIKE.windowMinutes} minutes`}::interval`,
      ),
    );
  const count = recent?.count ?? 0;
  if (count < SITE_CHANGED_SPIKE.count) return false;
  await tx.insert(alerts).values({
    severity: "critical",
    kind: SITE_CHANGED_SPIKE_KIND,
    oemId: params.oemId,
    message:
      `${params.oemLabel}: ${count} submissions failed within ${SITE_CHANGED_SPIKE.windowMinutes} minutes because the portal's pages no longer look the way the automation expects (site changed). ` +
      `Engineering: update the adapter (Triage groups these failures), then retry them.`,
  });
  return true;
}

/** Resolves every open spike alert whose portal has had a submitted run since it was raised. */
export async function resolveRecoveredSpikes(db: Db, now: Date): Promise<number> {
  const resolved = await db
    .update(alerts)
    .set({ resolvedAt: now })
    .where(
      and(
        eq(alerts.kind, SITE_CHANGED_SPIKE_KIND),
        isNull(alerts.resolvedAt),
        sql`exists (select 1 from runs r join cases c on c.id = r.case_id where c.oem_id = alerts.oem_id and r.status = 'submitted' and r.finished_at > alerts.created_at)`,
      ),
    )
    .returning({ id: alerts.id });
  return resolved.length;
}
