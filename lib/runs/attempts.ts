import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alerts, artifacts, attempts, cases, oems, runs } from "@/drizzle/schema";
import { closeBatchIfDone } from "../batches/start-batch";
import { enqueueCrmUpdate } from "../crm/outbox";
import type { Db } from "../db/client";
import { failureFingerprint, failureNoteText, nextActionFor, reasonSentence, type FailureObject } from "./failure";
import { addSubmitJob, continuationPriority } from "./enqueue-run";
import type { Classification } from "./classify";
import { nextRetryDelayMs, type RetryPolicy } from "./retry-policy";
import { routeFor, terminalStatusFor } from "./taxonomy";

/** One named step of an attempt, as recorded. */
export interface StepRecord {
  name: string;
  status: "ok" | "failed";
  startedAt: string;
  durationMs: number;
}

export interface ArtifactRecord {
  kind: "screenshot" | "dom" | "trace";
  key: string;
  contentType: string;
  bytes: number;
  step: string | null;
}

export interface CaseForSubmission {
  id: string;
  crmId: string;
  reference: string;
  oemId: string;
  oemLabel: string;
  kind: string;
  formData: Record<string, unknown>;
  redactionSensitive: boolean;
}

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

/** Where artifacts of a run are served (the app's artifact route). */
export function artifactUrl(key: string): string {
  return `/api/artifacts/${key}`;
}

/**
 * Starts the next attempt of a run, or returns null when the run needs none (already finished,
 * cancelled, or a duplicate job). A run found `running` lost its worker mid-attempt: that attempt
 * is closed as interrupted and counts (so a case that kills workers cannot loop forever).
 */
export async function beginAttempt(db: Db, params: { runId: string; workerId: string; portalUrlFor: (oemId: string) => string | null }): Promise<BegunAttempt | null> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.id, params.runId)).for("update");
    if (!run || !["queued", "retry_scheduled", "running"].includes(run.status)) return null;
    let attemptCount = run.attemptCount;
    const [owner] = await tx.select({ oemId: cases.oemId }).from(cases).where(eq(cases.id, run.caseId));
    const portalUrl = owner ? params.portalUrlFor(owner.oemId) : null;
    if (run.status === "running") {
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
        await finishTerminal(tx, {
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
    const [attempt] = await tx
      .insert(attempts)
      .values({ runId: run.id, number, workerId: params.workerId, portalUrl })
      .returning({ id: attempts.id });
    await tx
      .update(runs)
      .set({ status: "running", attemptCount, startedAt: run.startedAt ?? sql`now()`, nextAttemptAt: null, updatedAt: sql`now()` })
      .where(eq(runs.id, run.id));
    await tx.update(cases).set({ status: "running", updatedAt: sql`now()` }).where(eq(cases.id, run.caseId));
    const [caseRow] = await tx
      .select({ id: cases.id, crmId: cases.crmId, reference: cases.reference, oemId: cases.oemId, oemLabel: oems.label, kind: cases.kind, formData: cases.formData, redactionSensitive: cases.redactionSensitive })
      .from(cases)
      .innerJoin(oems, eq(oems.id, cases.oemId))
      .where(eq(cases.id, run.caseId));
    if (!attempt || !caseRow) throw new Error(`run ${run.id} lost its case`);
    return { attemptId: attempt.id, number, runId: run.id, case: caseRow, submitClickedBefore: run.submitClickedAt !== null };
  });
}

export async function recordSteps(db: Db, params: { attemptId: string; steps: StepRecord[] }): Promise<void> {
  const last = params.steps.at(-1);
  await db.update(attempts).set({ steps: params.steps as unknown as Array<Record<string, unknown>>, lastStep: last?.name ?? null }).where(eq(attempts.id, params.attemptId));
}

/** Recorded just before the final submit click: a successor must look for the filing first. */
export async function markSubmitClicked(db: Db, params: { runId: string }): Promise<void> {
  await db.update(runs).set({ submitClickedAt: sql`now()` }).where(eq(runs.id, params.runId));
}

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
  params: { runId: string; attemptId: string; confirmationNumber: string; steps: StepRecord[]; artifacts: ArtifactRecord[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(attempts).set({ status: "succeeded", finishedAt: sql`now()`, steps: params.steps as unknown as Array<Record<string, unknown>>, lastStep: params.steps.at(-1)?.name ?? null }).where(eq(attempts.id, params.attemptId));
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
}

export type FailureOutcome = { kind: "retry_scheduled"; runAt: Date } | { kind: "terminal"; status: string };

/**
 * Records a failed attempt and routes it by class: retry later (while attempts remain), or end
 * the run with a failure object, a CRM status and note, and — for `auth` — a paused portal and
 * an alert.
 */
export async function completeAttemptFailure(db: Db, params: FailureParams): Promise<FailureOutcome> {
  return db.transaction(async (tx) => {
    const failed = params.steps.find((s) => s.status === "failed");
    const lastGood = [...params.steps].reverse().find((s) => s.status === "ok");
    await tx
      .update(attempts)
      .set({
        status: "failed",
        finishedAt: sql`now()`,
        steps: params.steps as unknown as Array<Record<string, unknown>>,
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
      const delay = nextRetryDelayMs(params.policy, run.attemptCount, params.random);
      if (delay !== null) {
        const runAt = new Date(params.now.getTime() + delay);
        await tx
          .update(runs)
          .set({ status: "retry_scheduled", nextAttemptAt: runAt, errorClass, errorCode: params.classification.code, updatedAt: sql`now()` })
          .where(eq(runs.id, run.id));
        await scheduleNextAttempt(tx, { runId: run.id, caseId: run.caseId, runPriority: run.priority, runAt });
        return { kind: "retry_scheduled", runAt } satisfies FailureOutcome;
      }
    }
    const status = await finishTerminal(tx, {
      runId: run.id,
      classification: params.classification,
      failingStep: failed?.name ?? null,
      lastGoodStep: lastGood?.name ?? null,
      portalUrl: params.portalUrl,
    });
    return { kind: "terminal", status } satisfies FailureOutcome;
  });
}

/** Ends a run in its terminal fail status with a failure object; tells the CRM and, for auth, ops. */
async function finishTerminal(
  tx: Db,
  params: { runId: string; classification: Classification; failingStep: string | null; lastGoodStep: string | null; portalUrl: string | null },
): Promise<string> {
  const { errorClass, code, message } = params.classification;
  const [run] = await tx.select({ id: runs.id, caseId: runs.caseId, batchId: runs.batchId }).from(runs).where(eq(runs.id, params.runId));
  if (!run) throw new Error(`run ${params.runId} not found`);
  const [caseRow] = await tx.select({ crmId: cases.crmId, oemId: cases.oemId, oemLabel: oems.label }).from(cases).innerJoin(oems, eq(oems.id, cases.oemId)).where(eq(cases.id, run.caseId));
  if (!caseRow) throw new Error(`case of run ${params.runId} not found`);
  const attemptRows = await tx.select().from(attempts).where(eq(attempts.runId, run.id)).orderBy(asc(attempts.number));
  const evidence = await tx.select({ kind: artifacts.kind, key: artifacts.key, attemptId: artifacts.attemptId }).from(artifacts).where(eq(artifacts.runId, run.id));
  const lastAttempt = attemptRows.at(-1);
  const ofLast = (kind: string) => {
    const hit = evidence.find((a) => a.kind === kind && a.attemptId === lastAttempt?.id) ?? evidence.filter((a) => a.kind === kind).at(-1);
    return hit ? artifactUrl(hit.key) : null;
  };
  const failure: FailureObject = {
    reason: reasonSentence({ oemLabel: caseRow.oemLabel, errorClass, message, failingStep: params.failingStep }),
    errorClass,
    code,
    lastGoodStep: params.lastGoodStep,
    failingStep: params.failingStep,
    attempts: attemptRows.map((a) => ({
      number: a.number,
      status: a.status,
      errorClass: a.errorClass,
      code: a.errorCode,
      startedAt: a.startedAt.toISOString(),
      finishedAt: a.finishedAt?.toISOString() ?? null,
    })),
    screenshotUrl: ofLast("screenshot"),
    domSnapshotUrl: ofLast("dom"),
    traceUrl: ofLast("trace"),
    portalUrl: params.portalUrl,
    fingerprint: failureFingerprint({ oemId: caseRow.oemId, step: params.failingStep, errorClass, code, message }),
    nextAction: nextActionFor(errorClass),
  };
  const status = terminalStatusFor(errorClass);
  await tx
    .update(runs)
    .set({ status, errorClass, errorCode: code, failure: failure as unknown as Record<string, unknown>, finishedAt: sql`now()`, nextAttemptAt: null, updatedAt: sql`now()` })
    .where(eq(runs.id, run.id));
  await tx.update(cases).set({ status, updatedAt: sql`now()` }).where(eq(cases.id, run.caseId));
  await closeBatchIfDone(tx, run.batchId);

  const crmStatus = status === "needs_review" ? "needs_review" : "failed";
  await enqueueCrmUpdate(tx, {
    kind: "status",
    caseId: run.caseId,
    runId: run.id,
    idempotencyKey: `nightshift:${run.caseId}:${crmStatus}:${run.id}`,
    payload: { status: crmStatus, confirmationNumber: null, message: failure.reason },
  });
  await enqueueCrmUpdate(tx, {
    kind: "note",
    caseId: run.caseId,
    runId: run.id,
    idempotencyKey: `nightshift:${run.caseId}:note:${run.id}`,
    payload: { body: failureNoteText(failure, { baseUrl: null }), kind: "nightshift_failure" },
  });

  if (routeFor(errorClass) === "pause_portal") {
    const paused = await tx
      .update(oems)
      .set({ pausedAt: sql`now()`, pausedReason: failure.reason })
      .where(and(eq(oems.id, caseRow.oemId), sql`${oems.pausedAt} is null`))
      .returning({ id: oems.id });
    if (paused.length > 0) {
      await tx.insert(alerts).values({
        severity: "critical",
        kind: "portal_paused",
        oemId: caseRow.oemId,
        message: `${caseRow.oemLabel}: submissions paused because the portal refused the login (${code}). ${nextActionFor("auth")}`,
      });
    }
  }
  return status;
}

/**
 * A shutdown interrupted the attempt: record it, give the attempt back, and reschedule the run
 * shortly (the next worker searches the portal first, so nothing is filed twice).
 */
export async function interruptAttempt(db: Db, params: { runId: string; attemptId: string; steps: StepRecord[]; runAt: Date }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(attempts)
      .set({ status: "interrupted", finishedAt: sql`now()`, steps: params.steps as unknown as Array<Record<string, unknown>>, errorClass: "infra", errorCode: "shutdown", errorMessage: "The worker shut down during the attempt." })
      .where(eq(attempts.id, params.attemptId));
    const [run] = await tx
      .update(runs)
      .set({ status: "retry_scheduled", attemptCount: sql`greatest(${runs.attemptCount} - 1, 0)`, nextAttemptAt: params.runAt, updatedAt: sql`now()` })
      .where(and(eq(runs.id, params.runId), inArray(runs.status, ["running"])))
      .returning({ caseId: runs.caseId, priority: runs.priority });
    if (!run) return;
    await scheduleNextAttempt(tx, { runId: params.runId, caseId: run.caseId, runPriority: run.priority, runAt: params.runAt });
  });
}

/** Queues a started run's next attempt (ahead of first attempts, flagged with its OEM). */
async function scheduleNextAttempt(tx: Db, params: { runId: string; caseId: string; runPriority: number; runAt: Date }): Promise<void> {
  const [owner] = await tx.select({ oemId: cases.oemId }).from(cases).where(eq(cases.id, params.caseId));
  if (!owner) throw new Error(`case of run ${params.runId} not found`);
  await addSubmitJob(tx, { runId: params.runId, oemId: owner.oemId, priority: continuationPriority(params.runPriority), runAt: params.runAt });
}
