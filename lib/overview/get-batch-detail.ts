import { eq } from "drizzle-orm";
import { batches } from "@/drizzle/schema";
import { toFailureObject } from "@/lib/artifacts/failure-links";
import type { ArtifactStore } from "@/lib/artifacts/store";
import type { DigestGroup, MorningDigest } from "@/lib/batches/digest-types";
import { readProgress, type BatchProgress, type OemProgress, type RunCounts, type Throughput } from "@/lib/batches/progress";
import { parseBatchPlan, type BatchPlan } from "@/lib/batches/recipe";
import type { Database } from "@/lib/db/client";
import type { FailureObject } from "@/lib/domain/types";
import type { BatchStatus, BatchTrigger } from "@/lib/domain/vocabulary";

/** The digest as people read it: failure objects with signed links made now. */
export interface DigestView extends Omit<MorningDigest, "groups"> {
  groups: Array<Omit<DigestGroup, "runs"> & { runs: Array<Omit<DigestGroup["runs"][number], "failure"> & { failure: FailureObject | null }> }>;
}

export interface BatchDetail {
  batch: {
    id: string;
    trigger: BatchTrigger;
    status: BatchStatus;
    recipeVersion: number | null;
    /** The recipe it ran with; specific cases as a count (`caseIdCount`), not a list. */
    parameters: Omit<BatchPlan, "caseIds"> & { caseIdCount: number | null };
    createdBy: string;
    /** Run now's instruction in words, when the parameters came from one. */
    instruction: string | null;
    deadline: Date | null;
    nightKey: string | null;
    scheduledFor: Date | null;
    startedAt: Date | null;
    finishedAt: Date | null;
    createdAt: Date;
    backfilled: boolean;
    late: boolean;
    cancelledAt: Date | null;
    cancelledBy: string | null;
    cancelReason: string | null;
    atRiskSince: Date | null;
    caseCount: number;
    digestBuiltAt: Date | null;
  };
  counts: { byStatus: RunCounts; total: number; remaining: number; submitted: number; rehearsed: number; terminalFails: number; cancelled: number };
  oems: OemProgress[];
  throughput: Throughput;
  projectedFinish: Date | null;
  atRisk: boolean;
  /** How far past the deadline the projection lands (ms), while at risk. */
  lateByMs: number | null;
  /** Set with the digest; null until then. */
  metSla: boolean | null;
  digest: DigestView | null;
}

export interface GetBatchDetailParams {
  batchId: string;
  /** Signs the digest's evidence links (the API's TTL). */
  store: Pick<ArtifactStore, "signedUrl">;
  ttlSeconds: number;
  now?: Date;
}

/** One batch with its live progress and, once built, its morning digest; null for an unknown id. */
export async function getBatchDetail(db: Database, params: GetBatchDetailParams): Promise<BatchDetail | null> {
  const [row] = await db.select().from(batches).where(eq(batches.id, params.batchId));
  if (!row) return null;
  const progress: BatchProgress = await readProgress(db, row, { now: params.now });
  const { caseIds, ...plan } = parseBatchPlan(row.parameters);
  return {
    batch: {
      id: row.id,
      trigger: row.trigger,
      status: row.status,
      recipeVersion: row.recipeVersion,
      parameters: { ...plan, caseIdCount: caseIds ? caseIds.length : null },
      createdBy: row.createdBy,
      instruction: row.instruction,
      deadline: row.deadline,
      nightKey: row.nightKey,
      scheduledFor: row.scheduledFor,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      createdAt: row.createdAt,
      backfilled: row.backfilled,
      late: row.late,
      cancelledAt: row.cancelledAt,
      cancelledBy: row.cancelledBy,
      cancelReason: row.cancelReason,
      atRiskSince: row.atRiskSince,
      caseCount: row.caseCount,
      digestBuiltAt: row.digestBuiltAt,
    },
    counts: {
      byStatus: progress.counts,
      total: progress.total,
      remaining: progress.remaining,
      submitted: progress.submitted,
      rehearsed: progress.rehearsed,
      terminalFails: progress.terminalFails,
      cancelled: progress.cancelled,
    },
    oems: progress.oems,
    throughput: progress.throughput,
    projectedFinish: progress.projectedFinish,
    atRisk: progress.atRisk,
    lateByMs: progress.lateByMs,
    metSla: row.metSla,
    digest: row.digest ? await linkDigest(row.digest, params) : null,
  };
}

async function linkDigest(digest: MorningDigest, params: Pick<GetBatchDetailParams, "store" | "ttlSeconds">): Promise<DigestView> {
  const groups = await Promise.all(
    digest.groups.map(async (group) => ({
      ...group,
      runs: await Promise.all(
        group.runs.map(async (run) => ({ ...run, failure: run.failure ? await toFailureObject(run.failure, params.store, { ttlSeconds: params.ttlSeconds }) : null })),
      ),
    })),
  );
  return { ...digest, groups };
}
