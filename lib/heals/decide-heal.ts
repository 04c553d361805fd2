// The review queue's write side: a person approves, rejects or reverts a heal (issue 12).
import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { attempts, auditLog, cases, healingBaselines, healRuns, heals, oems, resolvedActions, runs } from "@/drizzle/schema";
import { cancelInsteadOfRetry } from "../batches/cancel-batch";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES } from "../domain/vocabulary";
import type { HealChange, HealSnapshot, SiteChangeDiff } from "../healing/records";
import { overlayTargetId } from "../healing/store";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { failRun } from "../runs/fail-run";
import type { OutcomeDeps } from "../runs/outcome-deps";
import { scheduleNextAttempt } from "../runs/schedule-next-attempt";
import { assertHealTransition, HealDecisionError } from "./heal-transitions";

type HealRow = typeof heals.$inferSelect;
type ResolvedActionInsert = typeof resolvedActions.$inferInsert;

export const OVERLAY_PAGE_FINGERPRINT = "*";

/** The resolved-action row a change becomes when its heal is approved. */
export function resolvedActionFor(heal: Pick<HealRow, "id" | "oemId" | "adapterVersion">, change: HealChange): ResolvedActionInsert {
  if (change.kind === "target") {
    return { oemId: heal.oemId, adapterVersion: heal.adapterVersion, targetId: change.targetId, pageFingerprint: change.pageFingerprint, recipe: change.recipe, fingerprint: change.after, healId: heal.id };
  }
  return {
    oemId: heal.oemId,
    adapterVersion: heal.adapterVersion,
    targetId: overlayTargetId(change.overlayKey),
    pageFingerprint: OVERLAY_PAGE_FINGERPRINT,
    recipe: { strategy: "dismiss", action: change.action },
    fingerprint: null,
    healId: heal.id,
  };
}

/** Makes a heal's changes the portal's current resolutions (replaces what another heal had for the same target and page state). */
export async function writeResolvedActions(tx: Db, heal: Pick<HealRow, "id" | "oemId" | "adapterVersion" | "changes">): Promise<void> {
  for (const change of heal.changes) {
    const row = resolvedActionFor(heal, change);
    await tx
      .insert(resolvedActions)
      .values(row)
      .onConflictDoUpdate({
        target: [resolvedActions.oemId, resolvedActions.adapterVersion, resolvedActions.targetId, resolvedActions.pageFingerprint],
        set: { recipe: row.recipe, fingerprint: row.fingerprint ?? null, healId: heal.id, hits: 0, lastHitAt: null, createdAt: sql`now()` },
      });
  }
}

async function lockHeal(tx: Db, healId: string): Promise<HealRow> {
  const [heal] = await tx.select().from(heals).where(eq(heals.id, healId)).for("update");
  if (!heal) throw new HealDecisionError("not_found", "No such heal.");
  return heal;
}

/** Serialises the decisions of one portal: versions and resolved actions are per portal. */
async function lockPortal(tx: Db, oemId: string): Promise<void> {
  await tx.select({ id: oems.id }).from(oems).where(eq(oems.id, oemId)).for("update");
}

/** The runs held before the final submit for this heal, locked. */
async function lockWaitingRuns(tx: Db, healId: string) {
  return tx
    .select({ id: runs.id, caseId: runs.caseId, batchId: runs.batchId, priority: runs.priority })
    .from(healRuns)
    .innerJoin(runs, eq(runs.id, healRuns.runId))
    .where(and(eq(healRuns.healId, healId), eq(healRuns.use, "awaiting_approval"), eq(runs.status, "awaiting_approval")))
    .orderBy(runs.createdAt)
    .for("update", { of: runs });
}

export interface ApproveHealResult {
  healId: string;
  version: number;
  /** Runs that got their next attempt (queued now). */
  requeuedRunIds: string[];
  /** Held runs that did not: their batch was cancelled, or their case has another open run. */
  cancelledRunIds: string[];
}

/**
 * A person approves a proposal: it becomes the portal's next version, each change a resolved
 * action (targets and overlays), and every run held for it gets one more attempt, queued at once
 * (the case is running again). Audited. A heal already decided is refused (409) and nothing changes.
 */
export async function approveHeal(db: Db, queue: JobQueue, params: { healId: string; actor: string; note?: string | undefined }): Promise<ApproveHealResult> {
  return withJobs(db, queue, async (tx) => {
    const heal = await lockHeal(tx, params.healId);
    assertHealTransition(heal.status, "approved", heal.decidedBy);
    await lockPortal(tx, heal.oemId);
    const [top] = await tx.select({ v: sql<number>`coalesce(max(${heals.version}), 0)::int` }).from(heals).where(eq(heals.oemId, heal.oemId));
    const version = (top?.v ?? 0) + 1;
    await tx
      .update(heals)
      .set({ status: "approved", version, decidedBy: params.actor, decidedAt: sql`now()`, decisionNote: params.note || null, updatedAt: sql`now()` })
      .where(eq(heals.id, heal.id));
    await writeResolvedActions(tx, heal);

    const requeuedRunIds: string[] = [];
    const cancelledRunIds: string[] = [];
    for (const run of await lockWaitingRuns(tx, heal.id)) {
      if (await cancelInsteadOfRetry(tx, run)) {
        await tx.update(cases).set({ status: "pending", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), eq(cases.status, "awaiting_approval")));
        cancelledRunIds.push(run.id);
        continue;
      }
      // While it waited (it held no queue slot) the case may have been queued again: that run files it, with this heal in the cache.
      const [other] = await tx
        .select({ id: runs.id })
        .from(runs)
        .where(and(eq(runs.caseId, run.caseId), ne(runs.id, run.id), inArray(runs.status, [...OPEN_RUN_STATUSES])));
      if (other) {
        await tx.update(runs).set({ status: "cancelled", errorCode: "superseded", nextAttemptAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(runs.id, run.id));
        cancelledRunIds.push(run.id);
        continue;
      }
      await tx
        .update(runs)
        .set({
          status: "retry_scheduled",
          // The held attempt counted; the approval grants the attempt that files.
          maxAttempts: sql`greatest(${runs.maxAttempts}, ${runs.attemptCount} + 1)`,
          nextAttemptAt: sql`now()`,
          errorClass: null,
          errorCode: null,
          updatedAt: sql`now()`,
        })
        .where(eq(runs.id, run.id));
      await tx.update(cases).set({ status: "running", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), eq(cases.status, "awaiting_approval")));
      await scheduleNextAttempt(tx, { runId: run.id, caseId: run.caseId, runPriority: run.priority, runAt: null });
      requeuedRunIds.push(run.id);
    }
    await tx.insert(auditLog).values({
      actor: params.actor,
      action: "heal.approve",
      oemId: heal.oemId,
      details: { healId: heal.id, version, note: params.note || null, changes: heal.changes.length, requeuedRunIds, cancelledRunIds },
    });
    return { healId: heal.id, version, requeuedRunIds, cancelledRunIds };
  });
}

/** The diff a rejected heal leaves on the failure of each run it parks: its first target change, with the person's note. */
async function rejectedChangeDiff(tx: Db, heal: HealRow, note: string, actor: string): Promise<SiteChangeDiff | undefined> {
  const change = heal.changes.find((c) => c.kind === "target") ?? null;
  if (!change) return undefined;
  const snapshot: HealSnapshot | undefined = heal.snapshots.find((s) => s.step === change.step);
  const [baseline] = await tx
    .select({ runId: healingBaselines.runId })
    .from(healingBaselines)
    .where(and(eq(healingBaselines.oemId, heal.oemId), eq(healingBaselines.targetId, change.targetId)));
  return {
    targetId: change.targetId,
    intent: change.intent,
    step: change.step,
    missKind: change.missKind,
    detail: `${actor} rejected the proposed change: ${note} (the primary locator: ${change.missDetail})`,
    ariaBefore: snapshot?.before ?? null,
    ariaAfter: snapshot?.after ?? null,
    lastGoodRunId: baseline?.runId ?? null,
    ranking: [{ name: change.after.name, role: change.after.role, score: change.score ?? 0, excluded: "rejected by a person" }],
  };
}

export interface RejectHealResult {
  healId: string;
  /** Runs held for it, now parked for engineering (site_changed, heal_rejected). */
  parkedRunIds: string[];
}

/**
 * A person rejects a proposal, saying why: the runs held for it are parked for engineering
 * (`site_changed`, code `heal_rejected`, the change and the note on their failure card; the CRM
 * hears it like any park), and nothing reaches the cache. Audited.
 */
export async function rejectHeal(db: Db, deps: OutcomeDeps, params: { healId: string; actor: string; note: string }): Promise<RejectHealResult> {
  const note = params.note.trim();
  if (!note) throw new HealDecisionError("bad_request", "Say why the change is wrong: engineering reads it on the parked runs.", { fields: { note: ["Say why the change is wrong"] } });
  return withJobs(db, deps.queue, async (tx) => {
    const heal = await lockHeal(tx, params.healId);
    assertHealTransition(heal.status, "rejected", heal.decidedBy);
    await tx.update(heals).set({ status: "rejected", decidedBy: params.actor, decidedAt: sql`now()`, decisionNote: note, updatedAt: sql`now()` }).where(eq(heals.id, heal.id));
    const siteChange = await rejectedChangeDiff(tx, heal, note, params.actor);
    const parkedRunIds: string[] = [];
    for (const run of await lockWaitingRuns(tx, heal.id)) {
      const [last] = await tx.select({ portalUrl: attempts.portalUrl, lastStep: attempts.lastStep }).from(attempts).where(eq(attempts.runId, run.id)).orderBy(desc(attempts.number)).limit(1);
      await failRun(tx, deps, {
        runId: run.id,
        classification: { errorClass: "site_changed", code: "heal_rejected", message: `A person rejected the portal change this run waited for: ${note}` },
        failingStep: siteChange?.step ?? null,
        lastGoodStep: last?.lastStep ?? null,
        portalUrl: last?.portalUrl ?? null,
        siteChange,
      });
      await tx.update(healRuns).set({ use: "parked", updatedAt: sql`now()` }).where(and(eq(healRuns.healId, heal.id), eq(healRuns.runId, run.id)));
      parkedRunIds.push(run.id);
    }
    await tx.insert(auditLog).values({ actor: params.actor, action: "heal.reject", oemId: heal.oemId, details: { healId: heal.id, note, parkedRunIds } });
    return { healId: heal.id, parkedRunIds };
  });
}

export interface RevertHealResult {
  healId: string;
  /** Resolved actions removed (the heal's, still current). */
  removed: number;
  /** Of those, restored from an earlier approved heal of the same target and page state: target id → that heal's version. */
  restored: Array<{ targetId: string; healId: string; version: number | null }>;
}

/**
 * A person reverts an approved heal: its resolved actions leave the cache, and where an earlier
 * approved heal had resolved the same target on the same page state, that one is current again.
 * Replay then falls back to the primary locator (and healing) for the rest. Audited.
 */
export async function revertHeal(db: Db, params: { healId: string; actor: string; note?: string | undefined }): Promise<RevertHealResult> {
  return db.transaction(async (tx) => {
    const heal = await lockHeal(tx, params.healId);
    assertHealTransition(heal.status, "reverted", heal.revertedBy);
    await lockPortal(tx, heal.oemId);
    await tx.update(heals).set({ status: "reverted", revertedBy: params.actor, revertedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(heals.id, heal.id));
    const removed = await tx
      .delete(resolvedActions)
      .where(eq(resolvedActions.healId, heal.id))
      .returning({ adapterVersion: resolvedActions.adapterVersion, targetId: resolvedActions.targetId, pageFingerprint: resolvedActions.pageFingerprint });
    const restored: RevertHealResult["restored"] = [];
    if (removed.length > 0) {
      // Earlier approved heals of the portal, newest version first: the first that resolves a removed key wins it back.
      const earlier = await tx
        .select()
        .from(heals)
        .where(and(eq(heals.oemId, heal.oemId), eq(heals.status, "approved"), ne(heals.id, heal.id)))
        .orderBy(desc(heals.version));
      for (const key of removed) {
        for (const candidate of earlier) {
          if (candidate.adapterVersion !== key.adapterVersion) continue;
          const change = candidate.changes.find((c) => {
            const row = resolvedActionFor(candidate, c);
            return row.targetId === key.targetId && row.pageFingerprint === key.pageFingerprint;
          });
          if (!change) continue;
          await writeResolvedActions(tx, { ...candidate, changes: [change] });
          restored.push({ targetId: key.targetId, healId: candidate.id, version: candidate.version });
          break;
        }
      }
    }
    await tx.insert(auditLog).values({
      actor: params.actor,
      action: "heal.revert",
      oemId: heal.oemId,
      details: { healId: heal.id, version: heal.version, note: params.note || null, removed: removed.length, restored },
    });
    return { healId: heal.id, removed: removed.length, restored };
  });
}
