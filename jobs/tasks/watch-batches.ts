import { watchBatches } from "@/lib/batches/watch-batches";
import { defineTask } from "./define-task";

/** Every minute (and right after a batch finishes): at-risk alerts and the morning digest. */
export const watchBatchesTask = defineTask("watch_batches", async (payload, { db, queue, log, runtime }) => {
  const result = await watchBatches(db, queue, { store: runtime.store }, { batchId: payload.batchId });
  if (result.atRisk.length > 0) log.warn({ batches: result.atRisk }, "batch at risk of missing its deadline");
  if (result.digests.length > 0) log.info({ batches: result.digests }, "morning digest built");
});
