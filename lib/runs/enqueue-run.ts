import { and, eq, inArray, sql } from "drizzle-orm";
import { cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES } from "../domain/vocabulary";
import { addJobAfterCommit, reprioritiseAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { submitCaseJob } from "../queue/specs";
import { jobKeyForRun, PRIORITY } from "../queue/tasks";

export interface EnqueueRunParams {
  caseId: string;
  batchId?: string | null;
  priority?: number;
  /** Attempts this run may use (the retry policy's, when it was planned). */
  maxAttempts: number;
  /** When the first attempt is due; a batch spaces its runs by a millisecond to keep its order. */
  runAt?: Date | null;
}

export interface EnqueuedRun {
  runId: string;
  /** False when the case already had an open run (returned instead). */
  created: boolean;
}

/**
 * Creates a run for a case and its first `submit_case` job, unless the case already has an open
 * run (duplicate webhook, second "urgent") or is already submitted (null). Urgent re-requests
 * raise the open run's priority instead.
 */
export async function enqueueRun(db: Db, queue: JobQueue, params: EnqueueRunParams): Promise<EnqueuedRun | null> {
  return withJobs(db, queue, async (tx) => {
    // Serialise per case: the row lock makes "check open run, then insert" race-free.
    const [target] = await tx.select({ status: cases.status, oemId: cases.oemId }).from(cases).where(eq(cases.id, params.caseId)).for("update");
    if (!target || target.status === "submitted") return null;
    const [open] = await tx
      .select({ id: runs.id, priority: runs.priority, status: runs.status })
      .from(runs)
      .where(and(eq(runs.caseId, params.caseId), inArray(runs.status, [...OPEN_RUN_STATUSES])));
    const priority = params.priority ?? PRIORITY.normal;
    if (open) {
      if (priority < open.priority && open.status === "queued") {
        await tx.update(runs).set({ priority, updatedAt: sql`now()` }).where(eq(runs.id, open.id));
        reprioritiseAfterCommit(tx, { jobKey: jobKeyForRun(open.id), priority });
      }
      return { runId: open.id, created: false };
    }
    const [run] = await tx
      .insert(runs)
      .values({ caseId: params.caseId, batchId: params.batchId ?? null, priority, maxAttempts: params.maxAttempts, status: "queued" })
      .returning({ id: runs.id });
    if (!run) throw new Error("run insert returned nothing");
    await tx.update(cases).set({ status: "queued", updatedAt: sql`now()` }).where(eq(cases.id, params.caseId));
    addJobAfterCommit(tx, submitCaseJob({ runId: run.id, oemId: target.oemId, priority, runAt: params.runAt ?? null }));
    return { runId: run.id, created: true };
  });
}
