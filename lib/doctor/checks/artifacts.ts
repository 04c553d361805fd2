import type { DoctorCheck } from "../types";

/** The artifact store takes a write, gives it back and lets it be deleted (a probe object outside runs/). */
export const artifactStoreWritable: DoctorCheck = {
  id: "artifact-store",
  label: "Artifact store",
  timeoutMs: 10_000,
  async run({ env, artifactStore }) {
    const where = env.ARTIFACT_STORE === "s3" ? `the bucket ${env.ARTIFACT_S3_BUCKET ?? "(unset)"}` : "the local artifacts folder";
    let result;
    try {
      result = await artifactStore().check();
    } catch (error) {
      // Building the store failed (its configuration): say so rather than crash the report.
      return { status: "fail", sentence: `The artifact store could not be set up: ${error instanceof Error ? error.message : String(error)}`, fix: "Check ARTIFACT_STORE and the ARTIFACT_S3_* variables (README, Configuration)." };
    }
    if (result.ok) return { status: "ok", sentence: `${result.detail.replace(/\.$/, "")}: a probe was written, read back and deleted.` };
    return {
      status: "fail",
      sentence: `Evidence cannot be kept in ${where}: ${result.message}`,
      fix: env.ARTIFACT_STORE === "s3" ? "Create the bucket, and give the worker's credentials s3:PutObject, s3:GetObject and s3:DeleteObject on it." : "Make ARTIFACTS_DIR (or NIGHTSHIFT_DATA_DIR) writable by the worker.",
    };
  },
};
