import { eq, sql } from "drizzle-orm";
import { attempts, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { StepRecord } from "../domain/types";

/** Progress of a running attempt (evidence for a person, not state the scheduler reads). */
export async function recordSteps(db: Db, params: { attemptId: string; steps: StepRecord[] }): Promise<void> {
  await db.update(attempts).set({ steps: params.steps, lastStep: params.steps.at(-1)?.name ?? null }).where(eq(attempts.id, params.attemptId));
}

/** Recorded just before the final submit click: a successor must look for the filing first. */
export async function markSubmitClicked(db: Db, params: { runId: string }): Promise<void> {
  await db.update(runs).set({ submitClickedAt: sql`now()` }).where(eq(runs.id, params.runId));
}
