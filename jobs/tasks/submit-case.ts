import { runSubmitAttempt } from "../automation/run-attempt";
import { defineTask } from "./define-task";

/** One attempt of a run: file the case on its OEM's portal and record the outcome. */
export const submitCase = defineTask("submit_case", async (payload, { db, queue, log, workerId, staleAfterSeconds, runtime }, helpers) => {
  await runSubmitAttempt(
    {
      db,
      queue,
      log,
      workerId,
      staleAfterSeconds,
      browser: runtime.browser,
      store: runtime.store,
      crm: runtime.crm,
      integrations: runtime.integrations,
      adapterFor: runtime.adapterFor,
      signal: helpers.abortSignal,
      timeouts: runtime.timeouts,
      ...(runtime.modelTier ? { modelTier: runtime.modelTier } : {}),
    },
    // A job given back for lack of a portal session slot keeps its priority.
    { runId: payload.runId, jobPriority: helpers.job.priority },
  );
});
