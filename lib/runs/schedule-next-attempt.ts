import { eq } from "drizzle-orm";
import { batches, cases } from "@/drizzle/schema";
import { parseBatchPlan } from "../batches/recipe";
import type { Db } from "../db/client";
import { addJobAfterCommit } from "../queue/job-queue";
import { continuationJob } from "../queue/specs";
import { nextRetryDelayMs, policyForRun, type RetryPolicy } from "./retry-policy";

/** Queues a started run's next attempt (ahead of first attempts, flagged with its OEM) when the transaction commits. */
export async function scheduleNextAttempt(tx: Db, params: { runId: string; caseId: string; runPriority: number; runAt: Date | null }): Promise<void> {
  const [owner] = await tx.select({ oemId: cases.oemId }).from(cases).where(eq(cases.id, params.caseId));
  if (!owner) throw new Error(`case of run ${params.runId} not found`);
  addJobAfterCommit(tx, continuationJob({ runId: params.runId, oemId: owner.oemId, runPriority: params.runPriority, runAt: params.runAt }));
}

/**
 * The delay before a run's next attempt, or null when it has none left: the deployment's policy,
 * or its batch's retry override (read from the batch's parameters), with the run's attempt limit.
 */
export async function nextAttemptDelayMs(
  tx: Db,
  params: { run: { batchId: string | null; maxAttempts: number; attemptCount: number }; policy: RetryPolicy; random: () => number },
): Promise<number | null> {
  let override = null;
  if (params.run.batchId) {
    const [batch] = await tx.select({ parameters: batches.parameters }).from(batches).where(eq(batches.id, params.run.batchId));
    override = batch ? parseBatchPlan(batch.parameters).retry : null;
  }
  return nextRetryDelayMs(policyForRun(params.policy, params.run, override), params.run.attemptCount, params.random);
}
