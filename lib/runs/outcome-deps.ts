import type { ArtifactStore } from "../artifacts/store";
import type { JobQueue } from "../queue/job-queue";

/** What recording an outcome needs besides the database. */
export interface OutcomeDeps {
  queue: JobQueue;
  /** Signs the links of the CRM note (absolute and long-lived: a person opens it from the CRM days later). */
  store: Pick<ArtifactStore, "signedUrl">;
}
