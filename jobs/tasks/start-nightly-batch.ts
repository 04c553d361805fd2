import { startBatch } from "@/lib/batches/start-batch";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { DEFAULT_BATCH_DEADLINE_HOURS } from "@/lib/batches/defaults";
import { defineTask } from "./define-task";

/** The nightly batch (cron): pull what changed in the CRM, then plan a batch over every pending case. */
export const startNightlyBatch = defineTask("start_nightly_batch", async (payload, { db, queue, log, runtime }) => {
  await syncCasesFromCrm(db, { crm: runtime.crm, log });
  const started = payload._cron ? new Date(payload._cron.ts) : new Date();
  const deadlineHours = payload.deadlineHours ?? DEFAULT_BATCH_DEADLINE_HOURS;
  const deadline = new Date(started.getTime() + deadlineHours * 3_600_000);
  const batch = await startBatch(db, queue, { trigger: "cron", maxAttempts: runtime.integrations.retryPolicy.maxAttempts, deadline, parameters: {} });
  log.info({ batch, deadline }, batch ? "nightly batch started" : "nightly batch: nothing pending");
});
