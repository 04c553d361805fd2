import { z } from "zod";
import { runSubmitAttempt } from "../automation/run-attempt";
import { defineTask } from "./define-task";

const payloadSchema = z.object({ runId: z.uuid() });

/** One attempt of a run: file the case on its OEM's portal and record the outcome. */
export const submitCase = defineTask(payloadSchema, async (payload, { db, log, workerId, runtime }, helpers) => {
  await runSubmitAttempt(
    {
      db,
      log,
      workerId,
      browser: runtime.browser,
      store: runtime.store,
      crm: runtime.crm,
      integrations: runtime.integrations,
      adapterFor: runtime.adapterFor,
      signal: helpers.abortSignal,
      timeouts: runtime.timeouts,
    },
    { runId: payload.runId },
  );
});
