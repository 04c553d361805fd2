// Replay's state in Postgres (issue 12): what an attempt loads before it starts (a portal's last
// good fingerprints and its reviewed resolutions) and what it writes when it ends (new last-good
// fingerprints, cache hits, a heal proposal and the runs that used it).

import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { healingBaselines, healRuns, heals, resolvedActions } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { HealChange, HealProposer, HealSnapshot, HealUse } from "./records";
import { describeRecipe, type ElementFingerprint, type LocatorRecipe } from "./types";

export interface Baseline {
  targetId: string;
  step: string;
  fingerprint: ElementFingerprint;
  pageFingerprint: string;
  scopeAria: string | null;
  runId: string | null;
  /** Earlier last-good states, newest first (read only: saving moves the replaced state here). */
  previous?: ElementFingerprint[];
}

/** How many earlier last-good states a target keeps. */
export const PREVIOUS_FINGERPRINTS_KEPT = 4;

export interface CachedResolution {
  targetId: string;
  pageFingerprint: string;
  recipe: LocatorRecipe;
  fingerprint: ElementFingerprint | null;
  healId: string | null;
}

/** A portal's replay state for one adapter version, read once per attempt. */
export interface PortalReplayState {
  baselines: Map<string, Baseline>;
  /** Target id → its reviewed resolutions (one per page fingerprint). */
  cache: Map<string, CachedResolution[]>;
}

export async function loadReplayState(db: Db, params: { oemId: string; adapterVersion: string }): Promise<PortalReplayState> {
  const [baselineRows, cacheRows] = await Promise.all([
    db.select().from(healingBaselines).where(eq(healingBaselines.oemId, params.oemId)),
    db
      .select()
      .from(resolvedActions)
      .where(and(eq(resolvedActions.oemId, params.oemId), eq(resolvedActions.adapterVersion, params.adapterVersion))),
  ]);
  const baselines = new Map<string, Baseline>();
  for (const row of baselineRows) {
    baselines.set(row.targetId, { targetId: row.targetId, step: row.step, fingerprint: row.fingerprint, pageFingerprint: row.pageFingerprint, scopeAria: row.scopeAria, runId: row.runId, previous: row.previousFingerprints });
  }
  const cache = new Map<string, CachedResolution[]>();
  for (const row of cacheRows) {
    // Overlay dismiss actions live in the same table; replay of targets only reads locator recipes.
    if (row.recipe.strategy !== "role" && row.recipe.strategy !== "css") continue;
    const list = cache.get(row.targetId) ?? [];
    list.push({ targetId: row.targetId, pageFingerprint: row.pageFingerprint, recipe: row.recipe, fingerprint: row.fingerprint, healId: row.healId });
    cache.set(row.targetId, list);
  }
  return { baselines, cache };
}

/** Records what the targets looked like after their steps succeeded (only rows that changed are passed). */
export async function saveBaselines(db: Db, params: { oemId: string; adapterVersion: string; runId: string | null; baselines: Baseline[] }): Promise<void> {
  if (params.baselines.length === 0) return;
  await db
    .insert(healingBaselines)
    .values(
      params.baselines.map((b) => ({
        oemId: params.oemId,
        targetId: b.targetId,
        step: b.step,
        adapterVersion: params.adapterVersion,
        fingerprint: b.fingerprint,
        pageFingerprint: b.pageFingerprint,
        scopeAria: b.scopeAria,
        runId: params.runId,
      })),
    )
    .onConflictDoUpdate({
      target: [healingBaselines.oemId, healingBaselines.targetId],
      set: {
        step: sql`excluded.step`,
        adapterVersion: sql`excluded.adapter_version`,
        fingerprint: sql`excluded.fingerprint`,
        previousFingerprints: sql`case when ${healingBaselines.fingerprint} = excluded.fingerprint then ${healingBaselines.previousFingerprints}
          else jsonb_path_query_array(jsonb_build_array(${healingBaselines.fingerprint}) || ${healingBaselines.previousFingerprints}, ${`$[0 to ${PREVIOUS_FINGERPRINTS_KEPT - 1}]`}::jsonpath) end`,
        pageFingerprint: sql`excluded.page_fingerprint`,
        scopeAria: sql`coalesce(excluded.scope_aria, ${healingBaselines.scopeAria})`,
        runId: sql`excluded.run_id`,
        recordedAt: sql`now()`,
      },
    });
}

/** Counts replayed resolutions (the review queue shows how often an approved heal is used). */
export async function recordCacheHits(db: Db, params: { oemId: string; adapterVersion: string; hits: Array<{ targetId: string; pageFingerprint: string }> }): Promise<void> {
  for (const hit of params.hits) {
    await db
      .update(resolvedActions)
      .set({ hits: sql`${resolvedActions.hits} + 1`, lastHitAt: sql`now()` })
      .where(
        and(
          eq(resolvedActions.oemId, params.oemId),
          eq(resolvedActions.adapterVersion, params.adapterVersion),
          eq(resolvedActions.targetId, hit.targetId),
          eq(resolvedActions.pageFingerprint, hit.pageFingerprint),
        ),
      );
  }
}

/** Equal change sets (the same targets healed to the same locators on the same page states) are one proposal. */
export function changeKey(changes: readonly HealChange[]): string {
  const parts = changes
    .map((c) => (c.kind === "target" ? `t|${c.targetId}|${c.pageFingerprint}|${describeRecipe(c.recipe)}` : `o|${c.overlayKey}|${c.action.type === "click" ? c.action.buttonName : "escape"}`))
    .sort();
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

/**
 * Files a heal for review, or joins the identical proposal another run already filed; the run is
 * recorded with how it used it. Returns the heal's id.
 */
export async function proposeHeal(
  db: Db,
  params: {
    oemId: string;
    adapterVersion: string;
    /** Null outside a run (the adapters' own tests). */
    runId: string | null;
    attemptId: string | null;
    changes: HealChange[];
    snapshots: HealSnapshot[];
    proposedBy: HealProposer;
    costUsd: number | null;
    screenshotKey: string | null;
    use: HealUse;
  },
): Promise<string> {
  const key = changeKey(params.changes);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(heals)
      .values({
        oemId: params.oemId,
        adapterVersion: params.adapterVersion,
        changeKey: key,
        changes: params.changes,
        snapshots: params.snapshots,
        proposedBy: params.proposedBy,
        costUsd: params.costUsd,
        screenshotKey: params.screenshotKey,
        runId: params.runId,
      })
      .onConflictDoNothing({ target: [heals.oemId, heals.changeKey], where: sql`status = 'proposed'` })
      .returning({ id: heals.id });
    let healId = inserted[0]?.id;
    if (!healId) {
      const [existing] = await tx
        .select({ id: heals.id, screenshotKey: heals.screenshotKey })
        .from(heals)
        .where(and(eq(heals.oemId, params.oemId), eq(heals.changeKey, key), eq(heals.status, "proposed")));
      if (!existing) throw new Error("a heal proposal with this change key vanished while it was joined");
      healId = existing.id;
      if (!existing.screenshotKey && params.screenshotKey) await tx.update(heals).set({ screenshotKey: params.screenshotKey, updatedAt: sql`now()` }).where(eq(heals.id, healId));
    }
    if (params.runId) {
      await tx
        .insert(healRuns)
        .values({ healId, runId: params.runId, attemptId: params.attemptId, use: params.use })
        .onConflictDoUpdate({ target: [healRuns.healId, healRuns.runId], set: { use: params.use, attemptId: params.attemptId, updatedAt: sql`now()` } });
    }
    return healId;
  });
}

/** Marks how a run used approved heals (replayed from the cache): `filed` when it filed with them. */
export async function recordHealUse(db: Db, params: { healIds: string[]; runId: string; attemptId: string; use: HealUse }): Promise<void> {
  if (params.healIds.length === 0) return;
  const existing = await db.select({ id: heals.id }).from(heals).where(inArray(heals.id, params.healIds));
  if (existing.length === 0) return;
  await db
    .insert(healRuns)
    .values(existing.map((h) => ({ healId: h.id, runId: params.runId, attemptId: params.attemptId, use: params.use })))
    .onConflictDoUpdate({ target: [healRuns.healId, healRuns.runId], set: { use: params.use, attemptId: params.attemptId, updatedAt: sql`now()` } });
}
