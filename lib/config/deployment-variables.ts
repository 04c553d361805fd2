import { getEnv, parseEnv, type Env } from "./env";

/**
 * The deployment variables the environment definition and the doctor compare beside the rest of
 * the environment: where artifacts are kept (the local folder or an S3 bucket) and whether the
 * browser is remote. Parsed and validated by lib/config/env.ts like every other variable.
 */
export type DeploymentVariables = Pick<Env, "ARTIFACT_STORE" | "ARTIFACT_S3_BUCKET" | "ARTIFACT_S3_ENDPOINT" | "BROWSER_WS_ENDPOINT">;

export function deploymentVariablesOf(env: Env): DeploymentVariables {
  return { ARTIFACT_STORE: env.ARTIFACT_STORE, ARTIFACT_S3_BUCKET: env.ARTIFACT_S3_BUCKET, ARTIFACT_S3_ENDPOINT: env.ARTIFACT_S3_ENDPOINT, BROWSER_WS_ENDPOINT: env.BROWSER_WS_ENDPOINT };
}

/** From a raw environment record (an env file of `doctor --compare`); throws EnvError listing every problem. */
export function readDeploymentVariables(source: Record<string, string | undefined>): DeploymentVariables {
  return deploymentVariablesOf(parseEnv(source));
}

/** This process's values (the web app's doctor). */
export function getDeploymentVariables(): DeploymentVariables {
  return deploymentVariablesOf(getEnv());
}
