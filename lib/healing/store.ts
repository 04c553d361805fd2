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
  /** Overlay key → the approved way to dismiss it (absent in states built by hand). */
  overlays?: Map<string, { action: { type: "click"; buttonName: string } | { type: "escape" }; healId: string | null }>;
}

/** The cache's target id for an overlay's approved dismiss action. */
export function overlayTargetId(overlayKey: string): string {
  return `overlay:${overlayKey}`;
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
  const overlays: NonNullable<PortalReplayState["overlays"]> = new Map();
  for (const row of cacheRows) {
    // Overlay dismiss actions live in the same table, under `overlay:<key>`.
    if (row.recipe.strategy === "dismiss") {
      if (row.targetId.startsWith("overlay:")) overlays.set(row.targetId.slice("overlay:".length), { action: row.recipe.action, healId: row.healId });
      continue;
    }
    if (row.recipe.strategy !== "role" && row.recipe.strategy !== "css") continue;
    const list = cache.get(row.targetId) ?? [];
    list.push({ targetId: row.targetId, pageFingerprint: row.pageFingerprint, recipe: row.recipe, fingerprint: row.fingerprint, healId: row.healId });
    cache.set(row.targetId, list);
  }
  return { baselines, cache, overlays };
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

/** Where a change applies: one target on one page state, or one overlay. */
function changeSlot(change: HealChange): string {
  return change.kind === "target" ? `t|${change.targetId}|${change.pageFingerprint}` : `o|${change.overlayKey}`;
}

function changeValue(change: HealChange): string {
  return change.kind === "target" ? describeRecipe(change.recipe) : change.action.type === "click" ? change.action.buttonName : "escape";
}

/**
 * Files a heal for review, or joins an open proposal of the same portal and adapter version that
 * does not contradict it: runs of one redesign see overlapping parts of it (one signs in, another
 * reuses a session), so their changes are merged into one proposal — one approval per portal —
 * while a change that puts the same target elsewhere starts a proposal of its own. The run is
 * recorded with how it used the heal. Returns the heal's id.
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
  return db.transaction(async (tx) => {
    // One proposer at a time per portal: concurrent runs merge instead of racing.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`heal-proposal:${params.oemId}`}))`);
    const open = await tx
      .select()
      .from(heals)
      .where(and(eq(heals.oemId, params.oemId), eq(heals.adapterVersion, params.adapterVersion), eq(heals.status, "proposed")))
      .orderBy(heals.createdAt);
    const compatible = open.find((heal) => {
      const existing = new Map(heal.changes.map((c) => [changeSlot(c), changeValue(c)]));
      return params.changes.every((c) => !existing.has(changeSlot(c)) || existing.get(changeSlot(c)) === changeValue(c));
    });
    let healId: string;
    if (compatible) {
      healId = compatible.id;
      const slots = new Set(compatible.changes.map(changeSlot));
      const added = params.changes.filter((c) => !slots.has(changeSlot(c)));
      const steps = new Set(compatible.snapshots.map((snap) => snap.step));
      const snapshots = [...compatible.snapshots, ...params.snapshots.filter((snap) => !steps.has(snap.step))];
      if (added.length > 0 || snapshots.length !== compatible.snapshots.length || (!compatible.screenshotKey && params.screenshotKey)) {
        const changes = [...compatible.changes, ...added];
        await tx
          .update(heals)
          .set({
            changes,
            changeKey: changeKey(changes),
            snapshots,
            proposedBy: compatible.proposedBy === "model" || params.proposedBy === "model" ? "model" : "rule",
            costUsd: compatible.costUsd === null && params.costUsd === null ? null : (compatible.costUsd ?? 0) + (params.costUsd ?? 0),
            // The latest held page shows the most of the redesign; keep the first when this run has none.
            screenshotKey: added.length > 0 && params.screenshotKey ? params.screenshotKey : (compatible.screenshotKey ?? params.screenshotKey),
            updatedAt: sql`now()`,
          })
          .where(eq(heals.id, healId));
      }
    } else {
      const [inserted] = await tx
        .insert(heals)
        .values({
          oemId: params.oemId,
          adapterVersion: params.adapterVersion,
          changeKey: changeKey(params.changes),
          changes: params.changes,
          snapshots: params.snapshots,
          proposedBy: params.proposedBy,
          costUsd: params.costUsd,
          screenshotKey: params.screenshotKey,
          runId: params.runId,
        })
        .returning({ id: heals.id });
      healId = inserted!.id;
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
