import { continuationPriority, DELIVERY_JOB_MAX_ATTEMPTS, jobKeyForAlertDelivery, jobKeyForOutboxEntry, jobKeyForRun, oemFlag, PRIORITY, SUBMIT_JOB_MAX_ATTEMPTS } from "./tasks";
import type { JobSpec } from "./job-queue";

/** The `submit_case` job of a run's next attempt, flagged with its OEM (a paused portal's flag is forbidden). */
export function submitCaseJob(params: { runId: string; oemId: string; priority: number; runAt: Date | null }): JobSpec<"submit_case"> {
  return {
    task: "submit_case",
    payload: { runId: params.runId },
    jobKey: jobKeyForRun(params.runId),
    runAt: params.runAt,
    priority: params.priority,
    maxAttempts: SUBMIT_JOB_MAX_ATTEMPTS,
    flags: [oemFlag(params.oemId)],
  };
}

/** A started run's next attempt: ahead of queued first attempts. */
export function continuationJob(params: { runId: string; oemId: string; runPriority: number; runAt: Date | null }): JobSpec<"submit_case"> {
  return submitCaseJob({ runId: params.runId, oemId: params.oemId, priority: continuationPriority(params.runPriority), runAt: params.runAt });
}

/** The delivery job of an outbox entry (write-backs run before queued submissions). */
export function deliveryJob(params: { outboxId: string; runAt: Date | null }): JobSpec<"deliver_crm_update"> {
  return {
    task: "deliver_crm_update",
    payload: { outboxId: params.outboxId },
    jobKey: jobKeyForOutboxEntry(params.outboxId),
    runAt: params.runAt,
    priority: PRIORITY.outbox,
    maxAttempts: DELIVERY_JOB_MAX_ATTEMPTS,
  };
}

/** The job of one alert delivery try (ahead of queued submissions, like CRM write-backs). */
export function alertDeliveryJob(params: { deliveryId: string; runAt: Date | null }): JobSpec<"deliver_alert"> {
  return {
    task: "deliver_alert",
    payload: { deliveryId: params.deliveryId },
    jobKey: jobKeyForAlertDelivery(params.deliveryId),
    runAt: params.runAt,
    priority: PRIORITY.outbox,
    maxAttempts: DELIVERY_JOB_MAX_ATTEMPTS,
  };
}
