import { startBatch } from "@/lib/batches/start-batch";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { defineTask } from "./define-task";

/** Pulls changed cases from the CRM; optionally starts a batch over what is pending (demo start-up). */
export const syncCrm = defineTask("sync_crm", async (payload, { db, queue, log, runtime }) => {
  await syncCasesFromCrm(db, { crm: runtime.crm, log });
  if (payload.thenStartBatch) {
    const batch = await startBatch(db, queue, { trigger: "manual", maxAttempts: runtime.integrations.retryPolicy.maxAttempts, deadline: null, parameters: { reason: "start-up" } });
    if (batch) log.info(batch, "batch started");
  }
});
