import { planBatch } from "@/lib/batches/plan-batch";
import { getSavedRecipe } from "@/lib/batches/recipe-store";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { DEFAULT_BATCH_DEADLINE_HOURS } from "@/lib/batches/defaults";
import { defineTask } from "./define-task";

/** The nightly batch (cron): pull what changed in the CRM, then plan a batch over every pending case. */
export const startNightlyBatch = defineTask("start_nightly_batch", async (payload, { db, queue, log, runtime }) => {
  await syncCasesFromCrm(db, { crm: runtime.crm, log });
  const started = payload._cron ? new Date(payload._cron.ts) : new Date();
  const deadlineHours = payload.deadlineHours ?? DEFAULT_BATCH_DEADLINE_HOURS;
  const deadline = new Date(started.getTime() + deadlineHours * 3_600_000);
  const saved = await getSavedRecipe(db);
  const batch = await planBatch(db, queue, { trigger: "cron", plan: saved.recipe, recipeVersion: saved.version, deadline, createdBy: "schedule", defaultMaxAttempts: runtime.integrations.retryPolicy.maxAttempts });
  log.info({ batch, deadline }, batch.kind === "planned" ? "nightly batch started" : "nightly batch: nothing pending");
});
