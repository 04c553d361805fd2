import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { attempts, cases, oems, runs, workerHeartbeats } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { CaseForSubmission } from "../domain/types";
import { RUN_TRANSITIONS, statusesLeadingTo } from "../domain/vocabulary";
import { withJobs } from "../queue/job-queue";
import { failRun } from "./fail-run";
import type { OutcomeDeps } from "./outcome-deps";

export interface BegunAttempt {
  attemptId: string;
  number: number;
  runId: string;
  case: CaseForSubmission;
  /** A predecessor clicked "submit" and did not live to record the outcome. */
  submitClickedBefore: boolean;
}

/** A run whose worker dies this many times is quarantined as a poison pill. */
export const MAX_WORKER_LOSSES = 5;

export interface BeginAttemptParams {
  runId: string;
  workerId: string;
  portalUrlFor: (oemId: string) => string | null;
  /** Seconds without a heartbeat after which a worker counts as dead. */
  staleAfterSeconds: number;
}

/**
 * Starts the next attempt of a run, or returns null when the run needs none (already finished,
 * cancelled, or a duplicate job). A run found `running` lost its worker mid-attempt: that attempt
 * is closed as interrupted — unless its worker is still alive, in which case this job is a
 * duplicate and does nothing.
 */
export async function beginAttempt(db: Db, deps: OutcomeDeps, params: BeginAttemptParams): Promise<BegunAttempt | null> {
  return withJobs(db, deps.queue, async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.id, params.runId)).for("update");
    if (!run || !statusesLeadingTo(RUN_TRANSITIONS, "running").includes(run.status)) return null;
    let attemptCount = run.attemptCount;
    const [owner] = await tx.select({ oemId: cases.oemId }).from(cases).where(eq(cases.id, run.caseId));
    const portalUrl = owner ? params.portalUrlFor(owner.oemId) : null;
    if (run.status === "running") {
      // A second job for a run whose attempt is still in a live worker's hands (a job key replaced
      // while its job ran): leave the run to that worker.
      const [holder] = await tx
        .select({ workerId: attempts.workerId })
        .from(attempts)
        .innerJoin(workerHeartbeats, eq(workerHeartbeats.id, attempts.workerId))
        .where(
          and(
            eq(attempts.runId, run.id),
            eq(attempts.status, "running"),
            isNull(workerHeartbeats.stoppedAt),
            sql`${workerHeartbeats.lastSeenAt} >= now() - make_interval(secs => ${params.staleAfterSeconds})`,
          ),
        );
      if (holder) return null;
      // The predecessor's worker died mid-attempt. A death is rarely the case's fault, so it does
      // not use up an attempt — unless the same run keeps losing its worker (a poison pill that
      // crashes whatever runs it): the fifth loss quarantines it.
      await tx
        .update(attempts)
        .set({ status: "interrupted", finishedAt: sql`now()`, errorClass: "infra", errorCode: "worker_lost", errorMessage: "The worker running this attempt stopped without recording an outcome." })
        .where(and(eq(attempts.runId, run.id), eq(attempts.status, "running")));
      const [losses] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(attempts)
        .where(and(eq(attempts.runId, run.id), eq(attempts.errorCode, "worker_lost")));
      if ((losses?.n ?? 0) >= MAX_WORKER_LOSSES) {
        await failRun(tx, deps, {
          runId: run.id,
          classification: { errorClass: "infra", code: "worker_lost", message: `The worker died during ${MAX_WORKER_LOSSES} attempts of this case (it may crash the browser or the worker).` },
          failingStep: null,
          lastGoodStep: null,
          portalUrl,
        });
        return null;
      }
      attemptCount -= 1;
    }
    attemptCount += 1;
    // Attempt numbers only grow; `attemptCount` (what counts toward the limit) can be given back
    // when a shutdown interrupts an attempt, so it is not the number.
    const [last] = await tx.select({ number: sql<number>`coalesce(max(${attempts.number}), 0)::int` }).from(attempts).where(eq(attempts.runId, run.id));
    const number = (last?.number ?? 0) + 1;
    // Queue wait: from the run's creation or its retry's due time; a resumed attempt (its worker
    // died) waited from the moment it was taken over.
    const queuedAt = run.status === "running" ? sql`now()` : (run.nextAttemptAt ?? run.createdAt);
    const [attempt] = await tx.insert(attempts).values({ runId: run.id, number, workerId: params.workerId, portalUrl, queuedAt }).returning({ id: attempts.id });
    await tx
      .update(runs)
      .set({ status: "running", attemptCount, startedAt: run.startedAt ?? sql`now()`, nextAttemptAt: null, updatedAt: sql`now()` })
      .where(eq(runs.id, run.id));
    await tx.update(cases).set({ status: "running", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), inArray(cases.status, ["queued", "running"])));
    const [caseRow] = await tx
      .select({ id: cases.id, crmId: cases.crmId, reference: cases.reference, oemId: cases.oemId, oemLabel: oems.label, kind: cases.kind, formData: cases.formData, redactionSensitive: cases.redactionSensitive })
      .from(cases)
      .innerJoin(oems, eq(oems.id, cases.oemId))
      .where(eq(cases.id, run.caseId));
    if (!attempt || !caseRow) throw new Error(`run ${run.id} lost its case`);
    return { attemptId: attempt.id, number, runId: run.id, case: caseRow, submitClickedBefore: run.submitClickedAt !== null };
  });
}
