import { eq } from "drizzle-orm";
import { runs } from "@/drizzle/schema";
import type { Db } from "../db/client";

/**
 * A dry run files nothing: the runner stops the attempt at the final submit click with this
 * signal (thrown from `markSubmitClicked`, which every adapter calls right before that click), and
 * records the run as rehearsed. It is not an error: nothing is classified or retried.
 */
export class DryRunComplete extends Error {
  override name = "DryRunComplete";
  constructor() {
    super("Dry run complete: stopped before the final submit.");
  }
}

export function isDryRunComplete(error: unknown): error is DryRunComplete {
  return error instanceof DryRunComplete;
}

/** Whether a run is a dry run (from its batch's recipe, stored on the run when it was planned). */
export async function isDryRun(db: Db, runId: string): Promise<boolean> {
  const [run] = await db.select({ dryRun: runs.dryRun }).from(runs).where(eq(runs.id, runId));
  return run?.dryRun ?? false;
}

export const DRY_RUN_NOTE = "Dry run: every step up to the final submit passed; nothing was filed.";

/** The CRM note of a rehearsed run. */
export function dryRunNoteText(params: { alreadyFiled: { confirmationNumber: string } | null; screenshotUrl: string | null }): string {
  const lines = params.alreadyFiled
    ? [`Dry run: the portal already has a filing for this case (confirmation ${params.alreadyFiled.confirmationNumber}); nothing was filed.`]
    : [DRY_RUN_NOTE];
  if (params.screenshotUrl) lines.push(`Screenshot: ${params.screenshotUrl}`);
  return lines.join("\n");
}
