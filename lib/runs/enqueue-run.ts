import { and, eq, inArray, sql } from "drizzle-orm";
import { cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";

/** Open run statuses: at most one per case (a partial unique index enforces it). */
export const OPEN_RUN_STATUSES = ["queued", "running", "retry_scheduled"] as const;

export const SUBMIT_CASE_TASK = "submit_case";

/** Payload of a `submit_case` job. */
export interface SubmitCasePayload {
  runId: string;
}

/** graphile-worker priority: lower runs first. Urgent cases jump the nightly queue. */
export const PRIORITY = { urgent: -10, normal: 0 } as const;

/**
 * The priority of a run's next attempt (a retry, or a run resumed after a lost worker or a
 * shutdown). graphile-worker orders by priority, then run_at: a retry due in 2 minutes has a later
 * run_at than the hundreds of runs a nightly batch queued at its start, and would wait for all of
 * them. Started runs finish first, so each run's own latency stays short.
 */
export function continuationPriority(runPriority: number): number {
  return runPriority - 1;
}

export interface EnqueueRunParams {
  caseId: string;
  batchId?: string | null;
  priority?: number;
  maxAttempts: number;
}

export interface EnqueuedRun {
  runId: string;
  /** False when the case already had an open run (returned instead) or needs no run. */
  created: boolean;
}

/**
 * Creates a run for a case and its first `submit_case` job in one transaction, unless the case
 * already has an open run (duplicate webhook, second "urgent") or is already submitted. Urgent
 * re-requests raise the open run's priority instead.
 */
export async function enqueueRun(db: Db, params: EnqueueRunParams): Promise<EnqueuedRun | null> {
  return db.transaction(async (tx) => {
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
        await tx.execute(sql`update graphile_worker._private_jobs set priority = ${priority} where key = ${jobKeyForRun(open.id)} and locked_at is null`);
      }
      return { runId: open.id, created: false };
    }
    const [run] = await tx
      .insert(runs)
      .values({ caseId: params.caseId, batchId: params.batchId ?? null, priority, maxAttempts: params.maxAttempts, status: "queued" })
      .returning({ id: runs.id });
    if (!run) throw new Error("run insert returned nothing");
    await tx.update(cases).set({ status: "queued", updatedAt: sql`now()` }).where(eq(cases.id, params.caseId));
    await addSubmitJob(tx, { runId: run.id, oemId: target.oemId, priority, runAt: null });
    return { runId: run.id, created: true };
  });
}

export function jobKeyForRun(runId: string): string {
  return `run:${runId}`;
}

type Executor = Pick<Db, "execute">;

/** The job flag of an OEM's submissions; a paused portal's flag is forbidden to workers. */
export function oemFlag(oemId: string): string {
  return `oem:${oemId}`;
}

/**
 * Adds (or replaces) the run's `submit_case` job. graphile-worker's own retry is only a safety
 * net for a worker that dies mid-job (max 2 runs of one job); our scheduler decides real retries.
 */
export async function addSubmitJob(tx: Executor, params: { runId: string; oemId: string; priority: number; runAt: Date | null }): Promise<void> {
  const payload: SubmitCasePayload = { runId: params.runId };
  await tx.execute(sql`select graphile_worker.add_job(
    ${SUBMIT_CASE_TASK}::text,
    ${JSON.stringify(payload)}::json,
    run_at := ${params.runAt ? params.runAt.toISOString() : null}::timestamptz,
    max_attempts := 2,
    job_key := ${jobKeyForRun(params.runId)}::text,
    priority := ${params.priority}::int,
    flags := ARRAY[${oemFlag(params.oemId)}]::text[]
  )`);
}
