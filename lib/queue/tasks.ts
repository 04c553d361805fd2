/**
 * The queue's contract: every task id, its payload schema (used both when a job is added and when
 * the task parses it), job keys, flags and priorities. Jobs already queued may be older than this
 * code, so new payload fields are added as optional.
 */
import { z } from "zod";

export const TASK_IDS = ["submit_case", "deliver_crm_update", "sync_crm", "dispatch_night", "prune_heartbeats", "watch_batches", "prune_artifacts", "notify_alerts", "deliver_alert"] as const;
export type TaskId = (typeof TASK_IDS)[number];

export const TASK_PAYLOADS = {
  /** One attempt of a run. */
  submit_case: z.object({ runId: z.uuid() }),
  /** One delivery of an outbox entry to the CRM. */
  deliver_crm_update: z.object({ outboxId: z.uuid() }),
  /** Pull changed cases from the CRM; optionally plan a batch over what is pending (demo start-up). */
  sync_crm: z.object({ thenStartBatch: z.boolean().optional() }),
  /** A tick of the nightly schedule (lib/schedule/dispatch-night.ts); `_cron` is added by graphile-worker's crontab. */
  dispatch_night: z.object({
    _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
  }),
  prune_heartbeats: z.object({ olderThanDays: z.number().int().min(1).optional() }),
  /** Every minute (crontab), and once right after a batch finishes (`batchId`): at-risk alert and morning digest. */
  watch_batches: z.object({
    _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
    batchId: z.uuid().optional(),
  }),
  /** Daily (crontab): delete artifacts past retention (ARTIFACT_RETENTION_DAYS, shorter for redaction-sensitive cases). */
  prune_artifacts: z.object({
    _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
  }),
  /** Every minute (crontab): queue alert and digest deliveries that are due (lib/alerts/notify-alerts.ts). */
  notify_alerts: z.object({
    _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
  }),
  /** One try of one alert delivery (lib/alerts/deliver-alert.ts); retries are scheduled by it. */
  deliver_alert: z.object({ deliveryId: z.uuid() }),
} satisfies Record<TaskId, z.ZodType>;

export type TaskPayload<T extends TaskId> = z.infer<(typeof TASK_PAYLOADS)[T]>;

/** graphile-worker priority: lower runs first. */
export const PRIORITY = {
  /** Urgent webhooks and manual retries jump the nightly queue. */
  urgent: -10,
  /**
   * CRM write-backs run before queued submissions: a nightly batch queues all its runs at once,
   * and the CRM should hear each outcome as it happens, not after the last filing.
   */
  outbox: -5,
  normal: 0,
  /** Housekeeping ticks (the schedule's dispatcher, the batch watch): a few queries a minute that must not wait behind a nightly batch's queue. */
  tick: -20,
} as const;

/**
 * The priority of a run's next attempt (a retry, or a run resumed after a lost worker or a
 * shutdown). graphile-worker orders by priority, then run_at: a retry due in 2 minutes has a later
 * run_at than the hundreds of runs a nightly batch queued at its start, and would wait for all of
 * them. Started runs finish first, so each run's own latency stays short.
 */
export function continuationPriority(runPriority: number): number {
  return runPriority - 1;
}

/** graphile-worker's own retry is only a safety net for a worker that dies mid-job; our scheduler decides real retries. */
export const SUBMIT_JOB_MAX_ATTEMPTS = 2;
export const DELIVERY_JOB_MAX_ATTEMPTS = 3;

export const RUN_JOB_KEY_PREFIX = "run:";
export const OUTBOX_JOB_KEY_PREFIX = "outbox:";
export const ALERT_DELIVERY_JOB_KEY_PREFIX = "alert-delivery:";

/** One job per run at a time: a run's next attempt replaces its queued job. */
export function jobKeyForRun(runId: string): string {
  return `${RUN_JOB_KEY_PREFIX}${runId}`;
}

export function jobKeyForOutboxEntry(outboxId: string): string {
  return `${OUTBOX_JOB_KEY_PREFIX}${outboxId}`;
}

/** One queued job per alert delivery: a retry replaces it. */
export function jobKeyForAlertDelivery(deliveryId: string): string {
  return `${ALERT_DELIVERY_JOB_KEY_PREFIX}${deliveryId}`;
}

const RUN_KEY = /^run:([0-9a-f-]{36})$/;
const OUTBOX_KEY = /^outbox:([0-9a-f-]{36})$/;

/** What a job key points at in our tables, or null for keys we did not make. */
export function parseJobKey(key: string | null): { kind: "run"; runId: string } | { kind: "outbox"; outboxId: string } | null {
  if (!key) return null;
  const run = RUN_KEY.exec(key);
  if (run?.[1]) return { kind: "run", runId: run[1] };
  const entry = OUTBOX_KEY.exec(key);
  if (entry?.[1]) return { kind: "outbox", outboxId: entry[1] };
  return null;
}

/** The job flag of an OEM's submissions; a paused portal's flag is forbidden to workers. */
export function oemFlag(oemId: string): string {
  return `oem:${oemId}`;
}
