import { SCHEDULE_TICK_CRON, SCHEDULE_TICK_PRIORITY } from "@/lib/batches/defaults";
import { PRIORITY } from "@/lib/queue/tasks";

/**
 * graphile-worker crontab (UTC only). `?fill=` backfills runs missed while no worker was up.
 * Format: minute hour day-of-month month day-of-week task ?options payload
 */
export function createCrontab(): string {
  return [
    // The nightly schedule's tick: it reads the stored schedule (local time zone) and starts the
    // night's batch once. No fill and one attempt: the next minute's tick catches up by itself.
    // Ahead of every queued submission, so a running batch cannot delay it.
    `${SCHEDULE_TICK_CRON} dispatch_night ?max=1&priority=${SCHEDULE_TICK_PRIORITY}`,
    // Safety net for missed webhooks: pull changed cases every 5 minutes.
    "*/5 * * * * sync_crm",
    // Daily at 04:10 UTC: forget long-stopped workers.
    "10 4 * * * prune_heartbeats ?fill=1d",
    // Every minute: at-risk alerts and the morning digest (one queued tick at most, ahead of submissions).
    `* * * * * watch_batches ?jobKey=watch_batches&max=1&priority=${PRIORITY.tick}`,
    // Daily at 04:40 UTC: delete artifacts past retention (one queued run at most; a killed one is finished by the next).
    "40 4 * * * prune_artifacts ?fill=1d&jobKey=prune_artifacts&max=3",
    // Every minute: alert and digest deliveries that are due (deduplicated by key; one queued tick at most).
    `* * * * * notify_alerts ?jobKey=notify_alerts&max=1&priority=${PRIORITY.tick}`,
  ].join("\n");
}
