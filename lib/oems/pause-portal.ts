import { and, eq, isNotNull, sql } from "drizzle-orm";
import { alerts, auditLog, oems } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { AlertSeverity } from "../domain/vocabulary";
import { AppError } from "../errors/app-error";

/**
 * Pauses an OEM's queue (its jobs carry the OEM's flag, which workers are then forbidden) and
 * raises a critical alert, once: a portal already paused stays as it is.
 */
export async function pausePortal(tx: Db, params: { oemId: string; reason: string; alert: string; severity?: AlertSeverity }): Promise<boolean> {
  const paused = await tx
    .update(oems)
    .set({ pausedAt: sql`now()`, pausedReason: params.reason })
    .where(and(eq(oems.id, params.oemId), sql`${oems.pausedAt} is null`))
    .returning({ id: oems.id });
  if (paused.length === 0) return false;
  await tx.insert(alerts).values({ severity: params.severity ?? "critical", kind: "portal_paused", oemId: params.oemId, message: params.alert });
  return true;
}

/** Ops pause a portal by hand (maintenance, a portal misbehaving): its queued jobs wait until it is resumed. Audited. */
export async function pausePortalByHand(db: Db, params: { oemId: string; reason: string; actor: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [oem] = await tx.select({ label: oems.label }).from(oems).where(eq(oems.id, params.oemId));
    if (!oem) throw new AppError("not_found", "No such portal.");
    const paused = await pausePortal(tx, {
      oemId: params.oemId,
      reason: params.reason,
      alert: `${oem.label}: submissions paused by ${params.actor} — ${params.reason}`,
      severity: "warning",
    });
    if (!paused) throw new AppError("conflict", "That portal is already paused.");
    await tx.insert(auditLog).values({ actor: params.actor, action: "pause_portal", oemId: params.oemId, details: { reason: params.reason } });
  });
}

/** Ops resume a paused portal; its queued jobs run again. Audited. */
export async function resumePortal(db: Db, params: { oemId: string; actor: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [oem] = await tx.update(oems).set({ pausedAt: null, pausedReason: null }).where(and(eq(oems.id, params.oemId), isNotNull(oems.pausedAt))).returning({ id: oems.id });
    if (!oem) throw new AppError("conflict", "That portal is not paused.");
    await tx.update(alerts).set({ resolvedAt: sql`now()` }).where(and(eq(alerts.oemId, params.oemId), eq(alerts.kind, "portal_paused"), sql`${alerts.resolvedAt} is null`));
    await tx.insert(auditLog).values({ actor: params.actor, action: "resume_portal", oemId: params.oemId, details: {} });
  });
}
