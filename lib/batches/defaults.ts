import { PRIORITY } from "../queue/tasks";

/**
 * Defaults of batches, defined once. The nightly batch's start and deadline are the stored
 * schedule (lib/schedule, DEFAULT_SCHEDULE); Run now's deadline is its own.
 */

/** How often every worker's crontab ticks the nightly schedule (graphile-worker cron: a minute at best). */
export const SCHEDULE_TICK_CRON = "* * * * *";

/** graphile-worker priority of a schedule tick: ahead of urgent filings, so a running batch never delays it. */
export const SCHEDULE_TICK_PRIORITY = PRIORITY.tick;
