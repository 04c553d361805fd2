import { asc, eq, sql } from "drizzle-orm";
import { artifacts, attempts, cases, oems, runs } from "@/drizzle/schema";
import { raiseSiteChangedSpikeIfAny } from "../alerts/site-changed-spike";
import { toFailureObject } from "../artifacts/failure-links";
import { ARTIFACT_LINK_TTL_SECONDS } from "../artifacts/signed-urls";
import { closeBatchIfDone } from "../batches/close-batch";
import { enqueueCrmUpdate } from "../crm/outbox";
import type { Db } from "../db/client";
import type { StoredFailure } from "../domain/types";
import type { SiteChangeDiff } from "../healing/records";
import type { ArtifactKind, TerminalFailStatus } from "../domain/vocabulary";
import { pausePortal } from "../oems/pause-portal";
import type { Classification } from "./classify";
import { failureFingerprint, failureNoteText, nextActionFor, reasonSentence } from "./failure";
import type { OutcomeDeps } from "./outcome-deps";
import { routeFor, terminalStatusFor } from "./taxonomy";

export interface FailRunParams {
  runId: string;
  classification: Classification;
  failingStep: string | null;
  lastGoodStep: string | null;
  portalUrl: string | null;
  /** A site_changed miss: the diff against the last good run (shown on the failure card). */
  siteChange?: SiteChangeDiff | undefined;
}

/**
 * Ends a run in its terminal fail status with a failure object (artifact keys, never URLs); tells
 * the CRM (status and a note with absolute links); for `auth`, pauses the portal and alerts ops;
 * for `site_changed`, raises the portal's spike alert when such fails pile up.
 * Runs inside the caller's `withJobs` transaction.
 */
export async function failRun(tx: Db, deps: Pick<OutcomeDeps, "store">, params: FailRunParams): Promise<TerminalFailStatus> {
  const { errorClass, code, message } = params.classification;
  const [run] = await tx.select({ id: runs.id, caseId: runs.caseId, batchId: runs.batchId }).from(runs).where(eq(runs.id, params.runId));
  if (!run) throw new Error(`run ${params.runId} not found`);
  const [caseRow] = await tx.select({ crmId: cases.crmId, oemId: cases.oemId, oemLabel: oems.label }).from(cases).innerJoin(oems, eq(oems.id, cases.oemId)).where(eq(cases.id, run.caseId));
  if (!caseRow) throw new Error(`case of run ${params.runId} not found`);
  const attemptRows = await tx.select().from(attempts).where(eq(attempts.runId, run.id)).orderBy(asc(attempts.number));
  const evidence = await tx.select({ kind: artifacts.kind, key: artifacts.key, attemptId: artifacts.attemptId }).from(artifacts).where(eq(artifacts.runId, run.id));
  const lastAttempt = attemptRows.at(-1);
  // The last attempt's evidence, else the newest of that kind from an earlier attempt.
  const keyOf = (kind: ArtifactKind) => (evidence.find((a) => a.kind === kind && a.attemptId === lastAttempt?.id) ?? evidence.filter((a) => a.kind === kind).at(-1))?.key ?? null;
  const failure: StoredFailure = {
    reason: reasonSentence({ oemLabel: caseRow.oemLabel, errorClass, message, failingStep: params.failingStep, code }),
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
    evidence: { screenshot: keyOf("screenshot"), dom: keyOf("dom"), trace: keyOf("trace") },
    portalUrl: params.portalUrl,
    fingerprint: failureFingerprint({ oemId: caseRow.oemId, step: params.failingStep, code, message }),
    nextAction: nextActionFor(errorClass),
    ...(params.siteChange ? { siteChange: params.siteChange } : {}),
  };
  const status = terminalStatusFor(errorClass);
  await tx
    .update(runs)
    .set({ status, errorClass, errorCode: code, failure, fingerprint: failure.fingerprint, finishedAt: sql`now()`, nextAttemptAt: null, updatedAt: sql`now()` })
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
    payload: { body: failureNoteText(await toFailureObject(failure, deps.store, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.crmNote })), kind: "nightshift_failure" },
  });

  // Many site_changed fails on one portal at once: the portal changed; engineering hears it now, not in the morning.
  if (errorClass === "site_changed") await raiseSiteChangedSpikeIfAny(tx, { oemId: caseRow.oemId, oemLabel: caseRow.oemLabel });

  if (routeFor(errorClass) === "pause_portal") {
    await pausePortal(tx, {
      oemId: caseRow.oemId,
      reason: failure.reason,
      alert: `${caseRow.oemLabel}: submissions paused because the portal refused the login (${code}). ${nextActionFor("auth")}`,
    });
  }
  return status;
}
