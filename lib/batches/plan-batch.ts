import { and, eq, inArray, sql } from "drizzle-orm";
import { batches, cases } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { BatchTrigger } from "../domain/vocabulary";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { enqueueRun } from "../runs/enqueue-run";
import type { BatchPlan } from "./recipe";

/** The local night a nightly batch belongs to (see lib/schedule). */
export interface NightSlot {
  /** "YYYY-MM-DD" of the night's evening in the schedule's zone; unique among batches. */
  key: string;
  scheduledFor: Date;
  backfilled: boolean;
  late: boolean;
}

export interface PlanBatchParams {
  trigger: BatchTrigger;
  /** The effective recipe (saved recipe, or Run now's change of it), with `caseIds` for specific cases. */
  plan: BatchPlan;
  /** The saved recipe version `plan` came from (null when none is saved). */
  recipeVersion: number | null;
  deadline: Date | null;
  /** Who started it: a person's id, or "schedule" / "system". */
  createdBy: string;
  /** Attempts per run when the plan has no retry override (the deployment's retry policy). */
  defaultMaxAttempts: number;
  /** Nightly batches: at most one per night key. */
  night?: NightSlot;
  /** The batch's start (its first attempts are due from then). */
  now?: Date;
}

export type PlanBatchResult =
  | { kind: "planned"; batchId: string; caseCount: number }
  /** Nothing eligible: no batch, except a nightly one, which is recorded (finished, empty) so the night counts as done. */
  | { kind: "nothing_to_file"; batchId: string | null }
  /** A batch for this night exists already (another worker, an earlier tick). */
  | { kind: "night_exists"; batchId: string };

/**
 * Plans a batch: selects the eligible cases (pending, filtered and ordered by the plan), creates
 * the batch row and one run per case, and queues their first attempts in the planned order.
 */
export async function planBatch(db: Db, queue: JobQueue, params: PlanBatchParams): Promise<PlanBatchResult> {
  return withJobs(db, queue, async (tx) => {
    if (params.night) {
      const [existing] = await tx.select({ id: batches.id }).from(batches).where(eq(batches.nightKey, params.night.key));
      if (existing) return { kind: "night_exists", batchId: existing.id };
    }
    const filters = [eq(cases.status, "pending")];
    if (params.plan.caseIds) filters.push(inArray(cases.id, params.plan.caseIds));
    else {
      if (params.plan.oemIds.length > 0) filters.push(inArray(cases.oemId, params.plan.oemIds));
      if (params.plan.caseKinds.length > 0) filters.push(inArray(cases.kind, params.plan.caseKinds));
    }
    const pending = await tx.select({ id: cases.id }).from(cases).where(and(...filters)).orderBy(cases.createdAt, cases.id);
    if (pending.length === 0 && !params.night) return { kind: "nothing_to_file", batchId: null };
    const inserted = await tx
      .insert(batches)
      .values({
        trigger: params.trigger,
        parameters: params.plan,
        recipeVersion: params.recipeVersion,
        deadline: params.deadline,
        createdBy: params.createdBy,
        nightKey: params.night?.key ?? null,
        scheduledFor: params.night?.scheduledFor ?? null,
        backfilled: params.night?.backfilled ?? false,
        late: params.night?.late ?? false,
        status: pending.length === 0 ? "finished" : "running",
        startedAt: sql`now()`,
        finishedAt: pending.length === 0 ? sql`now()` : null,
      })
      .onConflictDoNothing({ target: batches.nightKey, where: sql`night_key is not null` })
      .returning({ id: batches.id });
    const batch = inserted[0];
    if (!batch) {
      const [existing] = await tx.select({ id: batches.id }).from(batches).where(eq(batches.nightKey, params.night!.key));
      return { kind: "night_exists", batchId: existing!.id };
    }
    if (pending.length === 0) return { kind: "nothing_to_file", batchId: batch.id };
    const maxAttempts = params.plan.retry?.maxAttempts ?? params.defaultMaxAttempts;
    const start = (params.now ?? new Date()).getTime();
    let count = 0;
    for (const [index, c] of pending.entries()) {
      const run = await enqueueRun(tx, queue, { caseId: c.id, batchId: batch.id, maxAttempts, runAt: new Date(start + index) });
      if (run?.created) count += 1;
    }
    await tx.update(batches).set({ caseCount: count }).where(eq(batches.id, batch.id));
    return { kind: "planned", batchId: batch.id, caseCount: count };
  });
}
