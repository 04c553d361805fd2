import { eq } from "drizzle-orm";
import { z } from "zod";
import { oems } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { resumePortal } from "../oems/pause-portal";
import type { JobQueue } from "../queue/job-queue";
import { retryRun } from "../runs/operator-actions";
import type { SecretKeys } from "../secrets/secret-key";
import { authFailedRunIds, isPausedForAuth, portalCredentialsInputSchema, setPortalCredentials, type PortalCredentialStatus } from "./credentials";

/** PUT /api/portals/:oem/credentials: the credentials, and whether to resume a portal paused for `auth` in the same action. */
export const savePortalCredentialsBodySchema = portalCredentialsInputSchema.extend({
  resume: z.boolean("resume is true or false").optional(),
});
export type SavePortalCredentialsBody = z.input<typeof savePortalCredentialsBodySchema>;

export interface SavePortalCredentialsResult {
  credentials: PortalCredentialStatus;
  /** The portal was paused for `auth` and is filing again. */
  resumed: boolean;
  /** Runs that had failed `auth` since the pause, queued again (their queued siblings simply run again). */
  requeued: number;
}

/**
 * Saves a portal's credentials (sealed, audited) and, with `resume`, resumes the portal when it is
 * paused for `auth` and re-queues the runs that failed on the old credentials — the one action
 * after a rotation. A portal paused by hand is refused (409) before anything is saved: it was
 * stopped for another reason, which its own Resume button clears.
 */
export async function savePortalCredentials(
  db: Db,
  deps: { keys: SecretKeys; queue: () => Promise<JobQueue>; maxAttempts: number },
  params: { oemId: string; body: z.output<typeof savePortalCredentialsBodySchema>; actor: string },
): Promise<SavePortalCredentialsResult> {
  const { resume, ...input } = params.body;
  const [oem] = await db.select({ label: oems.label, pausedAt: oems.pausedAt }).from(oems).where(eq(oems.id, params.oemId));
  if (!oem) throw new AppError("not_found", "No such portal.");
  const pausedForAuth = oem.pausedAt !== null && (await isPausedForAuth(db, params.oemId));
  if (resume && oem.pausedAt !== null && !pausedForAuth) {
    throw new AppError("conflict", `${oem.label} was paused by hand, not because the portal refused the login; nothing was saved. Save without resuming, or resume it from its card.`);
  }
  const { rotated: _rotated, ...credentials } = await setPortalCredentials(db, deps.keys, { oemId: params.oemId, input, actor: params.actor });
  if (!resume || !pausedForAuth) return { credentials, resumed: false, requeued: 0 };

  const held = await authFailedRunIds(db, params.oemId);
  try {
    await resumePortal(db, { oemId: params.oemId, actor: params.actor });
  } catch (error) {
    // Someone resumed it a moment ago: the credentials are saved, the runs below still need queuing.
    if (!(error instanceof AppError && error.code === "conflict")) throw error;
  }
  const queue = await deps.queue();
  let requeued = 0;
  for (const runId of held) {
    try {
      await retryRun(db, queue, { runId, actor: params.actor, maxAttempts: deps.maxAttempts });
      requeued += 1;
    } catch (error) {
      // Retried meanwhile (conflict): nothing to do for that run.
      if (!(error instanceof AppError && error.code === "conflict")) throw error;
    }
  }
  return { credentials, resumed: true, requeued };
}
