import { sql } from "drizzle-orm";
import { addDeliveryJob } from "../crm/outbox";
import type { Db } from "../db/client";
import { addSubmitJob, continuationPriority } from "./enqueue-run";

/**
 * The "no case is lost" safety net. An open run must always have a live `submit_case` job (and a
 * pending outbox entry a live delivery job). A job can vanish or die for good when a worker is
 * killed twice on the same job or the database restarts at the wrong moment; this finds such runs
 * and entries (quiet for `graceSeconds`) and queues them again. Re-running is safe: an attempt
 * that finds its predecessor's attempt open records it as interrupted, and adapters always look
 * for an existing filing before filing.
 */
export async function requeueOrphans(db: Db, params: { graceSeconds: number }): Promise<{ runs: number; outbox: number }> {
  const orphanRuns = await db.execute<{ id: string; oem_id: string; priority: number }>(sql`
    select r.id, c.oem_id, r.priority
    from runs r join cases c on c.id = r.case_id
    where r.status in ('queued', 'retry_scheduled', 'running')
      and r.updated_at < now() - make_interval(secs => ${params.graceSeconds})
      and not exists (
        select 1 from graphile_worker._private_jobs j
        where j.key = 'run:' || r.id::text and (j.locked_at is not null or j.attempts < j.max_attempts)
      )
    limit 500`);
  for (const run of orphanRuns) {
    await addSubmitJob(db, { runId: run.id, oemId: run.oem_id, priority: continuationPriority(run.priority), runAt: null });
  }
  const orphanOutbox = await db.execute<{ id: string }>(sql`
    select o.id from outbox o
    where o.status = 'pending'
      and o.created_at < now() - make_interval(secs => ${params.graceSeconds})
      and not exists (
        select 1 from graphile_worker._private_jobs j
        where j.key = 'outbox:' || o.id::text and (j.locked_at is not null or j.attempts < j.max_attempts)
      )
    limit 500`);
  for (const entry of orphanOutbox) await addDeliveryJob(db, { outboxId: entry.id, runAt: null });
  return { runs: orphanRuns.length, outbox: orphanOutbox.length };
}
