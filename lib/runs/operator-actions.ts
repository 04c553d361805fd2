import { and, eq, inArray, sql } from "drizzle-orm";
import { auditLog, cases, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { StoredFailure } from "../domain/types";
import { isOneOf, TERMINAL_FAIL_STATUSES, type ErrorClass } from "../domain/vocabulary";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { PRIORITY } from "../queue/tasks";
import { enqueueRun } from "./enqueue-run";
import { isErrorClass } from "./taxonomy";

/** An operator action's refusal: an AppError, so the route wrapper maps it (404/409/400). */
export class OperatorActionError extends AppError<"not_found" | "conflict" | "bad_request"> {
  override name = "OperatorActionError";
}

/** The columns a class override sets: the class, and the failure object's copy of it (shared with triage's group override). */
export function classOverrideValues(errorClass: ErrorClass) {
  return {
    errorClass,
    failure: sql<StoredFailure | null>`case when ${runs.failure} is null then null else jsonb_set(${runs.failure}, '{errorClass}', to_jsonb(${errorClass}::text)) end`,
    updatedAt: sql`now()`,
  };
}

/**
 * A person corrects the class of a finished run (e.g. a "site changed" that was really a portal
 * outage). Audited with the previous class and the reason; the failure object follows.
 */
export async function overrideRunClass(db: Db, params: { runId: string; errorClass: string; reason: string; actor: string }): Promise<void> {
  if (!isErrorClass(params.errorClass)) throw new OperatorActionError("bad_request", `Unknown error class "${params.errorClass}".`);
  const errorClass: ErrorClass = params.errorClass;
  await db.transaction(async (tx) => {
    const [run] = await tx.select({ id: runs.id, status: runs.status, errorClass: runs.errorClass }).from(runs).where(eq(runs.id, params.runId)).for("update");
    if (!run) throw new OperatorActionError("not_found", "No such run.");
    if (!isOneOf(TERMINAL_FAIL_STATUSES, run.status)) throw new OperatorActionError("conflict", "Only a finished, failed run can be reclassified.");
    await tx.update(runs).set(classOverrideValues(errorClass)).where(eq(runs.id, run.id));
    await tx.insert(auditLog).values({ actor: params.actor, action: "override_class", runId: run.id, details: { from: run.errorClass, to: errorClass, reason: params.reason } });
  });
}

/**
 * A person retries a failed or parked run: a fresh run for the case, queued at once. Audited
 * (with `bulkActionId` when it is one run of a bulk action, e.g. a triage group retry).
 */
export async function retryRun(db: Db, queue: JobQueue, params: { runId: string; actor: string; maxAttempts: number; bulkActionId?: string }): Promise<{ runId: string }> {
  return withJobs(db, queue, async (tx) => {
    const [run] = await tx.select({ id: runs.id, status: runs.status, caseId: runs.caseId }).from(runs).where(eq(runs.id, params.runId)).for("update");
    if (!run) throw new OperatorActionError("not_found", "No such run.");
    if (!isOneOf(TERMINAL_FAIL_STATUSES, run.status)) throw new OperatorActionError("conflict", `A ${run.status.replace("_", " ")} run cannot be retried.`);
    await tx.update(cases).set({ status: "pending", updatedAt: sql`now()` }).where(and(eq(cases.id, run.caseId), inArray(cases.status, [...TERMINAL_FAIL_STATUSES])));
    const next = await enqueueRun(tx, queue, { caseId: run.caseId, priority: PRIORITY.urgent, maxAttempts: params.maxAttempts });
    if (!next) throw new OperatorActionError("conflict", "The case is already submitted.");
    await tx.insert(auditLog).values({ actor: params.actor, action: "retry_run", runId: run.id, bulkActionId: params.bulkActionId ?? null, details: { newRunId: next.runId } });
    return { runId: next.runId };
  });
}
