import { z } from "zod";
import { startBatch } from "@/lib/batches/start-batch";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { defineTask } from "./define-task";

const payloadSchema = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional(),
  deadlineHours: z.number().min(1).max(24).optional(),
});

/** The nightly batch (cron): pull what changed in the CRM, then plan a batch over every pending case. */
export const startNightlyBatch = defineTask(payloadSchema, async (payload, { db, log, runtime }) => {
  await syncCasesFromCrm(db, { crm: runtime.crm, log });
  const started = payload._cron ? new Date(payload._cron.ts) : new Date();
  const deadline = new Date(started.getTime() + (payload.deadlineHours ?? 6) * 3_600_000);
  const batch = await startBatch(db, { trigger: "cron", maxAttempts: runtime.integrations.retryPolicy.maxAttempts, deadline, parameters: { deadlineHours: payload.deadlineHours ?? 6 } });
  log.info({ batch, deadline }, batch ? "nightly batch started" : "nightly batch: nothing pending");
});
