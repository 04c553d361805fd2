import { syncCasesFromCrm } from "@/lib/cases/sync-cases";
import { dispatchNight } from "@/lib/schedule/dispatch-night";
import { defineTask } from "./define-task";

/** One tick of the nightly schedule (every minute, on every worker): starts the night's batch once its slot has passed. */
export const dispatchNightTask = defineTask("dispatch_night", async (payload, { db, queue, log, runtime }) => {
  const result = await dispatchNight(db, queue, {
    now: payload._cron ? new Date(payload._cron.ts) : new Date(),
    defaultMaxAttempts: runtime.integrations.retryPolicy.maxAttempts,
    syncCases: () => syncCasesFromCrm(db, { crm: runtime.crm, log }),
    log,
  });
  if (result.kind === "night_exists" || result.kind === "started") log.debug(result, "nightly schedule tick");
});
