import { PRIORITY } from "@/lib/queue/tasks";

/**
 * graphile-worker crontab (UTC only). `?fill=` backfills runs missed while no worker was up.
 * Format: minute hour day-of-month month day-of-week task ?options payload
 */
export function createCrontab(params: { nightlyBatch: string }): string {
  return [
    // The nightly batch (default 07:30 UTC = 1:30 AM Central); backfilled if the worker was down.
    `${params.nightlyBatch} start_nightly_batch ?fill=6h&max=1`,
    // Safety net for missed webhooks: pull changed cases every 5 minutes.
    "*/5 * * * * sync_crm",
    // Daily at 04:10 UTC: forget long-stopped workers.
    "10 4 * * * prune_heartbeats ?fill=1d",
    // Every minute: at-risk alerts and the morning digest (one queued tick at most, ahead of submissions).
    `* * * * * watch_batches ?jobKey=watch_batches&max=1&priority=${PRIORITY.watch}`,
  ].join("\n");
}
