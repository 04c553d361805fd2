/** Defaults of the nightly batch, defined once (the environment may override the cron). */

/** 07:30 UTC = 1:30 AM US Central (graphile-worker's crontab is UTC). */
export const DEFAULT_NIGHTLY_BATCH_CRON = "30 7 * * *";

/** The morning SLA: a nightly batch must be done this many hours after it starts. */
export const DEFAULT_BATCH_DEADLINE_HOURS = 6;
