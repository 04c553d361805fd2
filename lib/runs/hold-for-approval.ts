import { and, eq, sql } from "drizzle-orm";
import { artifacts, attempts, cases, runs } from "@/drizzle/schema";
import { closeBatchIfDone } from "../batches/close-batch";
import type { Db } from "../db/client";
import type { ArtifactRecord, StepRecord } from "../domain/types";
import type { HealingReport } from "../healing/records";
import { withJobs, type JobQueue } from "../queue/job-queue";

/**
 * The attempt filled the form with a heal nobody has approved: it is recorded as `held`, and the
 * run and its case wait (`awaiting_approval`) until a person approves the heal (the run gets its
 * next attempt) or rejects it (parked). Nothing is written to the CRM: the case is not settled.
 */
export async function holdRunForApproval(
  db: Db,
  deps: { queue: JobQueue },
  params: { runId: string; attemptId: string; healId: string; steps: StepRecord[]; artifacts: ArtifactRecord[]; healing: HealingReport },
): Promise<void> {
  await withJobs(db, deps.queue, async (tx) => {
    await tx
      .update(attempts)
      .set({ status: "held", finishedAt: sql`now()`, steps: params.steps, lastStep: params.steps.at(-1)?.name ?? null, healing: params.healing, errorMessage: "Held before the final submit: a portal change waits for approval." })
      .where(eq(attempts.id, params.attemptId));
    const [run] = await tx
      .update(runs)
      .set({ status: "awaiting_approval", errorClass: null, errorCode: "awaiting_approval", nextAttemptAt: null, updatedAt: sql`now()` })
      .where(and(eq(runs.id, params.runId), eq(runs.status, "running")))
      .returning({ caseId: runs.caseId, batchId: runs.batchId });
    if (!run) return;
    await tx.update(cases).set({ status: "awaiting_approval", updatedAt: sql`now()` }).where(eq(cases.id, run.caseId));
    if (params.artifacts.length > 0) {
      await tx
        .insert(artifacts)
        .values(params.artifacts.map((a) => ({ ...a, runId: params.runId, attemptId: params.attemptId })))
        .onConflictDoNothing({ target: artifacts.key });
    }
    await closeBatchIfDone(tx, run.batchId);
  });
}
