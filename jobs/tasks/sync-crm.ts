import { planBatch } from "@/lib/batches/plan-batch";
import { getSavedRecipe } from "@/lib/batches/recipe-store";
import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { defineTask } from "./define-task";

/** Pulls changed cases from the CRM; optionally starts a batch over what is pending (demo start-up). */
export const syncCrm = defineTask("sync_crm", async (payload, { db, queue, log, runtime }) => {
  await syncCasesFromCrm(db, { crm: runtime.crm, log });
  if (payload.thenStartBatch) {
    const saved = await getSavedRecipe(db);
    const batch = await planBatch(db, queue, { trigger: "manual", plan: { ...saved.recipe, reason: "start-up" }, recipeVersion: saved.version, deadline: null, createdBy: "system", defaultMaxAttempts: runtime.integrations.retryPolicy.maxAttempts });
    if (batch.kind === "planned") log.info(batch, "batch started");
  }
});
