import { pruneArtifacts } from "@/lib/artifacts/retention";
import { defineTask } from "./define-task";

/** Daily housekeeping: artifacts past retention are deleted from the store, their runs keep a note. */
export const pruneArtifactsTask = defineTask("prune_artifacts", async (_payload, { db, log, runtime }) => {
  const retention = runtime.integrations.artifactRetention;
  const result = await pruneArtifacts(db, runtime.store, { retention });
  if (result.expired > 0) log.info({ ...result, store: runtime.store.kind, days: retention.days, sensitiveDays: retention.sensitiveDays }, "pruned artifacts past retention");
});
