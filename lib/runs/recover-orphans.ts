import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { liveJobExists, type JobQueue } from "../queue/job-queue";
import { continuationJob, deliveryJob } from "../queue/specs";
import { OUTBOX_JOB_KEY_PREFIX, RUN_JOB_KEY_PREFIX } from "../queue/tasks";

/**
 * The "no case is lost" safety net. An open run must always have a live `submit_case` job (and a
 * pending outbox entry a live delivery job). A job can be missing when a process dies between a
 * commit and adding its job, or when a worker is killed twice on the same job; this finds such runs
 * and entries (quiet for `graceSeconds`) and queues them again. A run whose attempt is in a live
 * worker's hands is not an orphan. Re-running is safe: an attempt that finds its predecessor's
 * attempt open records it as interrupted, and adapters always look for an existing filing first.
 */
export async function requeueOrphans(db: Db, queue: JobQueue, params: { graceSeconds: number; staleAfterSeconds: number }): Promise<{ runs: number; outbox: number }> {
  const orphanRuns = await db.execute<{ id: string; oem_id: string; priority: number; next_attempt_at: string | null }>(sql`
    select r.id, c.oem_id, r.priority, r.next_attempt_at
    from runs r join cases c on c.id = r.case_id
    where r.status in ('queued', 'retry_scheduled', 'running')
      and r.updated_at < now() - make_interval(secs => ${params.graceSeconds})
      and not exists (
        select 1 from attempts a join worker_heartbeats w on w.id = a.worker_id
        where a.run_id = r.id and a.status = 'running' and w.stopped_at is null
          and w.last_seen_at >= now() - make_interval(secs => ${params.staleAfterSeconds})
      )
      and not ${liveJobExists(sql`${RUN_JOB_KEY_PREFIX} || r.id::text`)}
    order by r.updated_at
    limit 500`);
  await queue.addJobs(
    orphanRuns.map((r) => {
      const due = r.next_attempt_at ? new Date(r.next_attempt_at) : null;
      return continuationJob({ runId: r.id, oemId: r.oem_id, runPriority: r.priority, runAt: due && due.getTime() > Date.now() ? due : null });
    }),
  );

  const orphanEntries = await db.execute<{ id: string }>(sql`
    select o.id from outbox o
    where o.status = 'pending' and o.created_at < now() - make_interval(secs => ${params.graceSeconds})
      and not ${liveJobExists(sql`${OUTBOX_JOB_KEY_PREFIX} || o.id::text`)}
    order by o.created_at
    limit 500`);
  await queue.addJobs(orphanEntries.map((o) => deliveryJob({ outboxId: o.id, runAt: null })));
  return { runs: orphanRuns.length, outbox: orphanEntries.length };
}
