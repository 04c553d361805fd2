import { and, eq, inArray, sql } from "drizzle-orm";
import { artifacts, attempts, cases, runs } from "@/drizzle/schema";
import { cancelInsteadOfRetry } from "../batches/cancel-batch";
import { closeBatchIfDone } from "../batches/close-batch";
import { dryRunNoteText } from "../batches/dry-run";
import { ARTIFACT_LINK_TTL_SECONDS } from "../artifacts/signed-urls";
import { enqueueCrmUpdate } from "../crm/outbox";
import type { Db } from "../db/client";
import type { ArtifactRecord, StepRecord } from "../domain/types";
import type { SiteChangeDiff } from "../healing/records";
import type { TerminalFailStatus } from "../domain/vocabulary";
import { withJobs } from "../queue/job-queue";
import type { Classification } from "./classify";
import { failRun } from "./fail-run";
import type { OutcomeDeps } from "./outcome-deps";
import type { RetryPolicy } from "./retry-policy";
import { nextAttemptDelayMs, scheduleNextAttempt } from "./schedule-next-attempt";
import { routeFor } from "./taxonomy";

async function saveArtifacts(tx: Db, params: { runId: string; attemptId: string; artifacts: ArtifactRecord[] }) {
  if (params.artifacts.length === 0) return;
  await tx
    .insert(artifacts)
    .values(params.artifacts.map((a) => ({ ...a, runId: params.runId, attemptId: params.attemptId })))
    .onConflictDoNothing({ target: artifacts.key });
}

/** The attempt filed the case (or found it already filed): the run, the case and the CRM say so. */
export async function completeAttemptSuccess(
  db: Db,
  deps: Pick<OutcomeDeps, "queue">,
  params: { runId: string; attemptId: string; confirmationNumber: string; steps: StepRecord[]; artifacts: ArtifactRecord[] },
): Promise<void> {
  await withJobs(db, deps.queue, async (tx) => {
    await tx.update(attempts).set({ status: "succeeded", finishedAt: sql`now()`, steps: params.steps, lastStep: params.steps.at(-1)?.name ?? null }).where(eq(attempts.id, params.attemptId));
    const [run] = await tx
      .update(runs)
      .set({ status: "submitted", confirmationNumber: params.confirmationNumber, finishedAt: sql`now()`, errorClass: null, errorCode: null, failure: null, updatedAt: sql`now()` })
      .where(eq(runs.id, params.runId))
      .returning({ caseId: runs.caseId, batchId: runs.batchId });
    if (!run) throw new Error(`run ${params.runId} not found`);
    await closeBatchIfDone(tx, run.batchId);
    await tx.update(cases).set({ status: "submitted", confirmationNumber: params.confirmationNumber, updatedAt: sql`now()` }).where(eq(cases.id, run.caseId));
    await saveArtifacts(tx, params);
    await enqueueCrmUpdate(tx, {
      kind: "status",
      caseId: run.caseId,
      runId: params.runId,
      // One submitted write per case, whatever retries or duplicate runs happen.
      idempotencyKey: `nightshift:${run.caseId}:submitted`,
      payload: { status: "submitted", confirmationNumber: params.confirmationNumber, message: null },
    });
  });
}

export interface FailureParams {
  runId: string;
  attemptId: string;
  classification: Classification;
  steps: StepRecord[];
  artifacts: ArtifactRecord[];
  portalUrl: string | null;
  policy: RetryPolicy;
  random: () => number;
  now: Date;
  /** A site_changed miss: the diff against the last good run, kept on the failure for the card. */
  siteChange?: SiteChangeDiff | undefined;
}

export type FailureOutcome = { kind: "retry_scheduled"; runAt: Date } | { kind: "terminal"; status: TerminalFailStatus } | { kind: "cancelled" };

/**
 * Records a failed attempt and routes it by class: retry later (while the run's attempts remain),
 * or end the run with a failure object, a CRM status and note, and — for `auth` — a paused portal
 * and an alert.
 */
export async function completeAttemptFailure(db: Db, deps: OutcomeDeps, params: FailureParams): Promise<FailureOutcome> {
  return withJobs(db, deps.queue, async (tx) => {
    const failed = params.steps.find((s) => s.status === "failed");
    const lastGood = params.steps.findLast((s) => s.status === "ok");
    await tx
      .update(attempts)
      .set({
        status: "failed",
        finishedAt: sql`now()`,
        steps: params.steps,
        lastStep: params.steps.at(-1)?.name ?? null,
        errorClass: params.classification.errorClass,
        errorCode: params.classification.code,
        errorMessage: params.classification.message.slice(0, 2000),
      })
      .where(eq(attempts.id, params.attemptId));
    await saveArtifacts(tx, params);
    const [run] = await tx.select().from(runs).where(eq(runs.id, params.runId)).for("update");
    if (!run) throw new Error(`run ${params.runId} not found`);
    const { errorClass } = params.classification;

    if (routeFor(errorClass) === "retry") {
      // The run keeps the attempt limit it was planned with; its batch may override the delay.
      const delay = await nextAttemptDelayMs(tx, { run, policy: params.policy, random: params.random });
      if (delay !== null) {
        // Its batch was cancelled while this attempt ran: no retry, the case waits for the next batch.
        if (await cancelInsteadOfRetry(tx, run)) return { kind: "cancelled" } satisfies FailureOutcome;
        const runAt = new Date(params.now.getTime() + delay);
        await tx
          .update(runs)
          .set({ status: "retry_scheduled", nextAttemptAt: runAt, errorClass, errorCode: params.classification.code, updatedAt: sql`now()` })
          .where(eq(runs.id, run.id));
        await scheduleNextAttempt(tx, { runId: run.id, caseId: run.caseId, runPriority: run.priority, runAt });
        return { kind: "retry_scheduled", runAt } satisfies FailureOutcome;
      }
    }
    const status = await failRun(tx, deps, {
      runId: run.id,
      classification: params.classification,
      failingStep: failed?.name ?? null,
      lastGoodStep: lastGood?.name ?? null,
      portalUrl: params.portalUrl,
      siteChange: params.siteChange,
    });
    return { kind: "terminal", status } satisfies FailureOutcome;
  });
}

/**
 * A shutdown interrupted the attempt: record it, give the attempt back, and reschedule the run
 * shortly (the next worker searches the portal first, so nothing is filed twice).
 */
export async function interruptAttempt(db: Db, deps: Pick<OutcomeDeps, "queue">, params: { runId: string; attemptId: string; steps: StepRecord[]; runAt: Date }): Promise<void> {
  await withJobs(db, deps.queue, async (tx) => {
    await tx
      .update(attempts)
      .set({ status: "interrupted", finishedAt: sql`now()`, steps: params.steps, errorClass: "infra", errorCode: "shutdown", errorMessage: "The worker shut down during the attempt." })
      .where(eq(attempts.id, params.attemptId));
    const [run] = await tx
      .update(runs)
      .set({ status: "retry_scheduled", attemptCount: sql`greatest(${runs.attemptCount} - 1, 0)`, nextAttemptAt: params.runAt, updatedAt: sql`now()` })
      .where(and(eq(runs.id, params.runId), eq(runs.status, "running")))
      .returning({ caseId: runs.caseId, priority: runs.priority, batchId: runs.batchId });
    if (!run) return;
    if (await cancelInsteadOfRetry(tx, { id: params.runId, caseId: run.caseId, batchId: run.batchId })) return;
    await scheduleNextAttempt(tx, { runId: params.runId, caseId: run.caseId, runPriority: run.priority, runAt: params.runAt });
  });
}

/**
 * A dry run went through every step up to the final submit (or found the case already filed on
 * the portal): the run is rehearsed, the case pending again, and the CRM gets a note — never a
 * status. The note's idempotency key is the run's, like a failure note.
 */
export async function completeDryRun(
  db: Db,
  deps: OutcomeDeps,
  params: { runId: string; attemptId: string; steps: StepRecord[]; artifacts: ArtifactRecord[]; alreadyFiled: { confirmationNumber: string } | null },
): Promise<void> {
  await withJobs(db, deps.queue, async (tx) => {
    await tx.update(attempts).set({ status: "succeeded", finishedAt: sql`now()`, steps: params.steps, lastStep: params.steps.at(-1)?.name ?? null }).where(eq(attempts.id, params.attemptId));
    const [run] = await tx
      .update(runs)
      .set({ status: "rehearsed", confirmationNumber: params.alreadyFiled?.confirmationNumber ?? null, finishedAt: sql`now()`, nextAttemptAt: null, errorClass: null, errorCode: null, failure: null, updatedAt: sql`now()` })
      .where(eq(runs.id, params.runId))
      .returning({ caseId: runs.caseId, batchId: runs.batchId });
    if (!run) throw new Error(`run ${params.runId} not found`);
    await tx.update(cases).set({ status: "pending", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), inArray(cases.status, ["queued", "running"])));
    await closeBatchIfDone(tx, run.batchId);
    await saveArtifacts(tx, params);
    const screenshot = params.artifacts.findLast((a) => a.kind === "screenshot");
    const link = screenshot ? await deps.store.signedUrl(screenshot.key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.crmNote }) : null;
    await enqueueCrmUpdate(tx, {
      kind: "note",
      caseId: run.caseId,
      runId: params.runId,
      idempotencyKey: `nightshift:${run.caseId}:note:${params.runId}`,
      payload: { body: dryRunNoteText({ alreadyFiled: params.alreadyFiled, screenshotUrl: link }), kind: "nightshift_dry_run" },
    });
  });
}
