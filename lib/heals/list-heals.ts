// The review queue's read side: heals of one status with everything a person needs to decide them.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { cases, healRuns, heals, oems, resolvedActions, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { RunStatus } from "../domain/vocabulary";
import type { HealChange, HealProposer, HealSnapshot, HealStatus, HealUse } from "../healing/records";
import { describeRecipe, MISS_KIND_LABELS } from "../healing/types";

/** A change as the queue shows it: the stored change plus its recipe in words and its miss kind as a sentence. */
export type HealChangeView =
  | (Extract<HealChange, { kind: "target" }> & { recipeText: string; missKindLabel: string })
  | Extract<HealChange, { kind: "overlay" }>;

/** A run that used the heal or waits for it, with its case reference for the link. */
export interface HealRunView {
  runId: string;
  caseId: string;
  caseReference: string;
  use: HealUse;
  runStatus: RunStatus;
  usedAt: Date;
}

export interface HealView {
  id: string;
  oem: { id: string; label: string; color: string; monogram: string };
  adapterVersion: string;
  status: HealStatus;
  /** Per portal, set on approval. */
  version: number | null;
  proposedBy: HealProposer;
  costUsd: number | null;
  changes: HealChangeView[];
  snapshots: HealSnapshot[];
  /** The page with the healed targets outlined (a signed link), when the worker kept one. */
  screenshotUrl: string | null;
  /** The run that first proposed it. */
  runId: string | null;
  runs: HealRunView[];
  /** Runs held before the final submit until this heal is decided. */
  waitingRuns: number;
  /** Times replay used its resolved actions (approved heals). */
  cacheHits: number;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  revertedBy: string | null;
  revertedAt: Date | null;
}

export interface ListHealsParams {
  status: HealStatus;
  oemId?: string | undefined;
  limit?: number;
  /** Turns an artifact key into a link the browser can open (the artifact store's signed URL). */
  artifactUrl: (key: string) => Promise<string> | string;
}

/**
 * Heals of one status, newest first (proposals by when they were filed, decided ones by when they
 * were decided), each with its changes, snapshots, screenshot link and the runs that used it.
 */
export async function listHeals(db: Db, params: ListHealsParams): Promise<HealView[]> {
  const where = params.oemId ? and(eq(heals.status, params.status), eq(heals.oemId, params.oemId)) : eq(heals.status, params.status);
  const order = params.status === "proposed" ? desc(heals.createdAt) : desc(sql`coalesce(${heals.revertedAt}, ${heals.decidedAt}, ${heals.createdAt})`);
  const rows = await db
    .select({
      id: heals.id,
      oemId: heals.oemId,
      oemLabel: oems.label,
      oemColor: oems.color,
      oemMonogram: oems.monogram,
      adapterVersion: heals.adapterVersion,
      status: heals.status,
      version: heals.version,
      proposedBy: heals.proposedBy,
      costUsd: heals.costUsd,
      changes: heals.changes,
      snapshots: heals.snapshots,
      screenshotKey: heals.screenshotKey,
      runId: heals.runId,
      createdAt: heals.createdAt,
      decidedBy: heals.decidedBy,
      decidedAt: heals.decidedAt,
      decisionNote: heals.decisionNote,
      revertedBy: heals.revertedBy,
      revertedAt: heals.revertedAt,
    })
    .from(heals)
    .innerJoin(oems, eq(oems.id, heals.oemId))
    .where(where)
    .orderBy(order, desc(heals.id))
    .limit(params.limit ?? 50);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [usedBy, hits] = await Promise.all([
    db
      .select({ healId: healRuns.healId, runId: healRuns.runId, use: healRuns.use, usedAt: healRuns.updatedAt, runStatus: runs.status, caseId: cases.id, caseReference: cases.reference })
      .from(healRuns)
      .innerJoin(runs, eq(runs.id, healRuns.runId))
      .innerJoin(cases, eq(cases.id, runs.caseId))
      .where(inArray(healRuns.healId, ids))
      .orderBy(desc(healRuns.updatedAt)),
    db
      .select({ healId: resolvedActions.healId, hits: sql<number>`coalesce(sum(${resolvedActions.hits}), 0)::int` })
      .from(resolvedActions)
      .where(inArray(resolvedActions.healId, ids))
      .groupBy(resolvedActions.healId),
  ]);
  return Promise.all(
    rows.map(async (row): Promise<HealView> => {
      const used = usedBy.filter((u) => u.healId === row.id).map(({ healId: _healId, ...u }) => u);
      return {
        id: row.id,
        oem: { id: row.oemId, label: row.oemLabel, color: row.oemColor, monogram: row.oemMonogram },
        adapterVersion: row.adapterVersion,
        status: row.status,
        version: row.version,
        proposedBy: row.proposedBy,
        costUsd: row.costUsd,
        changes: row.changes.map(toChangeView),
        snapshots: row.snapshots,
        screenshotUrl: await linkOrNull(params.artifactUrl, row.screenshotKey),
        runId: row.runId,
        runs: used,
        waitingRuns: used.filter((u) => u.use === "awaiting_approval" && u.runStatus === "awaiting_approval").length,
        cacheHits: hits.find((h) => h.healId === row.id)?.hits ?? 0,
        createdAt: row.createdAt,
        decidedBy: row.decidedBy,
        decidedAt: row.decidedAt,
        decisionNote: row.decisionNote,
        revertedBy: row.revertedBy,
        revertedAt: row.revertedAt,
      };
    }),
  );
}

/** A key the store refuses (written by an older worker, or tampered with) shows as "no screenshot", not as a broken queue. */
async function linkOrNull(artifactUrl: ListHealsParams["artifactUrl"], key: string | null): Promise<string | null> {
  if (!key) return null;
  try {
    return await artifactUrl(key);
  } catch {
    return null;
  }
}

function toChangeView(change: HealChange): HealChangeView {
  if (change.kind === "overlay") return change;
  return { ...change, recipeText: describeRecipe(change.recipe), missKindLabel: MISS_KIND_LABELS[change.missKind] };
}
