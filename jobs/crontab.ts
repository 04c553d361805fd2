/**
 * graphile-worker crontab (UTC only). `?fill=` backfills runs missed while no worker was up.
 * Format: minute hour day-of-month month day-of-week task ?options payload
 */
export function createCrontab(_params: { nightlyBatch: string }): string {
  return [
    // The nightly batch and the CRM sync are scheduled once the portal adapters land.
    // Daily at 04:10 UTC: forget long-stopped workers.
    "10 4 * * * prune_heartbeats ?fill=1d",
  ].join("\n");
}
