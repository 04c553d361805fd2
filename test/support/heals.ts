import { and, asc, eq } from "drizzle-orm";
import { heals } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { approveHeal } from "@/lib/heals/decide-heal";
import type { JobQueue } from "@/lib/queue/job-queue";

/** For callers without runs waiting (the adapters' own tests, runId null): approving queues no job. A job added through it is refused (and logged by withJobs): pass the test database's queue. */
const NO_JOBS: JobQueue = {
  addJob: () => Promise.reject(new Error("approveProposedHeals: a run waits for this heal; pass the test database's queue")),
  addJobs: (specs) => (specs.length === 0 ? Promise.resolve() : Promise.reject(new Error("approveProposedHeals: a run waits for this heal; pass the test database's queue"))),
  reprioritise: () => Promise.resolve(),
  forceUnlockWorkers: () => Promise.resolve(),
  removeJobs: () => Promise.resolve(),
  release: () => Promise.resolve(),
};

/**
 * A person approving every proposed heal of the portal, oldest first, through the review queue's
 * own `approveHeal` (resolved actions, version, audit, held runs re-queued). Returns their ids.
 */
export async function approveProposedHeals(db: Db, oemId: string, queue: JobQueue = NO_JOBS): Promise<string[]> {
  const proposed = await db.select({ id: heals.id }).from(heals).where(and(eq(heals.oemId, oemId), eq(heals.status, "proposed"))).orderBy(asc(heals.createdAt));
  for (const heal of proposed) await approveHeal(db, queue, { healId: heal.id, actor: "test" });
  return proposed.map((h) => h.id);
}
