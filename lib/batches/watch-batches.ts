/**
 * The batch watch (every minute, and right after a batch finishes): for each live batch, raise
 * the at-risk alert the first time its projected finish passes the deadline, and build the
 * morning digest once it is due (deadline reached, batch finished or cancelled).
 */
import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { alerts, batches } from "@/drizzle/schema";
import type { ArtifactStore } from "../artifacts/store";
import type { Db } from "../db/client";
import type { BatchTrigger } from "../domain/vocabulary";
import type { JobQueue } from "../queue/job-queue";
import { buildMorningDigest, formatClockTime, formatMargin, getReportTimeZone } from "./digest";
import { readProgress } from "./progress";

/** Finished batches older than this without a digest (from before digests existed) are left alone. */
const DIGEST_LOOKBACK_HOURS = 48;
/** At most this many batches per tick. */
const WATCH_LIMIT = 50;

const BATCH_NAMES: Record<BatchTrigger, string> = {
  cron: "Tonight's batch",
  manual: "The Run now batch",
  webhook: "The urgent batch",
};

/** The at-risk alert in words: "Tonight's batch is projected to finish at 7:40 AM, 40 min after its 7:00 AM deadline." */
export function atRiskMessage(params: { trigger: BatchTrigger; projectedFinish: Date | null; deadline: Date; remaining: number; now: Date; timeZone: string }): string {
  const name = BATCH_NAMES[params.trigger];
  const deadline = formatClockTime(params.deadline, params.timeZone, { zone: true });
  const open = `${params.remaining.toLocaleString("en-US")} ${params.remaining === 1 ? "case is" : "cases are"} still open`;
  if (params.now.getTime() >= params.deadline.getTime()) return `${name} missed its ${deadline} deadline: ${open}.`;
  if (!params.projectedFinish) return `${name} is not moving: nothing finished lately and ${open} before its ${deadline} deadline.`;
  const late = formatMargin(params.projectedFinish.getTime() - params.deadline.getTime());
  return `${name} is projected to finish at ${formatClockTime(params.projectedFinish, params.timeZone)}, ${late} after its ${deadline} deadline.`;
}

export interface WatchDeps {
  store: Pick<ArtifactStore, "signedUrl">;
  now?: Date;
  timeZone?: string;
  windowMinutes?: number;
}

export interface WatchResult {
  checked: number;
  /** Batches that went at risk on this tick (alert raised). */
  atRisk: string[];
  /** Batches whose digest was built on this tick. */
  digests: string[];
}

/** One tick of the watch, over every live batch (or just `batchId`). */
export async function watchBatches(db: Db, queue: JobQueue, deps: WatchDeps, params: { batchId?: string } = {}): Promise<WatchResult> {
  const now = deps.now ?? new Date();
  const since = new Date(now.getTime() - DIGEST_LOOKBACK_HOURS * 3_600_000).toISOString();
  const candidates = await db
    .select({ id: batches.id, trigger: batches.trigger, status: batches.status, deadline: batches.deadline, startedAt: batches.startedAt, atRiskSince: batches.atRiskSince })
    .from(batches)
    .where(
      and(
        isNull(batches.digestBuiltAt),
        params.batchId ? eq(batches.id, params.batchId) : undefined,
        or(inArray(batches.status, ["planned", "running"]), gt(sql`coalesce(${batches.finishedAt}, ${batches.cancelledAt}, ${batches.createdAt})`, sql`${since}::timestamptz`)),
      ),
    )
    .orderBy(batches.createdAt)
    .limit(WATCH_LIMIT);
  const result: WatchResult = { checked: candidates.length, atRisk: [], digests: [] };
  if (candidates.length === 0) return result;
  const timeZone = deps.timeZone ?? (await getReportTimeZone(db));

  for (const batch of candidates) {
    const live = batch.status === "planned" || batch.status === "running";
    if (live && batch.deadline && !batch.atRiskSince) {
      const progress = await readProgress(db, batch, { now, windowMinutes: deps.windowMinutes });
      if (progress.atRisk) {
        const message = atRiskMessage({ trigger: batch.trigger, projectedFinish: progress.projectedFinish, deadline: batch.deadline, remaining: progress.remaining, now, timeZone });
        if (await markAtRisk(db, { batchId: batch.id, now, message })) result.atRisk.push(batch.id);
      }
    }
    const due = !live || (batch.deadline !== null && now.getTime() >= batch.deadline.getTime());
    if (due) {
      const built = await buildMorningDigest(db, queue, { store: deps.store, now, timeZone }, { batchId: batch.id });
      if (built.kind === "built") result.digests.push(batch.id);
    }
  }
  return result;
}

/** Sets `at_risk_since` once and raises the warning with it; false when it was already set. */
export async function markAtRisk(db: Db, params: { batchId: string; now: Date; message: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [marked] = await tx
      .update(batches)
      .set({ atRiskSince: params.now })
      .where(and(eq(batches.id, params.batchId), isNull(batches.atRiskSince)))
      .returning({ id: batches.id });
    if (!marked) return false;
    await tx.insert(alerts).values({ severity: "warning", kind: "batch_at_risk", message: params.message, createdAt: params.now });
    return true;
  });
}
