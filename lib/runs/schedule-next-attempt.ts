import { eq } from "drizzle-orm";
import { cases } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { addJobAfterCommit } from "../queue/job-queue";
import { continuationJob } from "../queue/specs";

/** Queues a started run's next attempt (ahead of first attempts, flagged with its OEM) when the transaction commits. */
export async function scheduleNextAttempt(tx: Db, params: { runId: string; caseId: string; runPriority: number; runAt: Date | null }): Promise<void> {
  const [owner] = await tx.select({ oemId: cases.oemId }).from(cases).where(eq(cases.id, params.caseId));
  if (!owner) throw new Error(`case of run ${params.runId} not found`);
  addJobAfterCommit(tx, continuationJob({ runId: params.runId, oemId: owner.oemId, runPriority: params.runPriority, runAt: params.runAt }));
}
