import { z } from "zod";

/**
 * Variables that other parts of issue 11 add to lib/config/env.ts (the S3 artifact store, the
 * remote browser). Until they land there, the environment definition and the doctor read them
 * through this one accessor, from the same raw record `parseEnv` gets (never `process.env`
 * directly). When env.ts has them, this becomes a `Pick<Env, …>`.
 */
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const deploymentVariablesSchema = z.object({
  /** Where artifacts are kept: the local folder (default) or an S3-compatible bucket. */
  ARTIFACT_STORE: z.preprocess(emptyAsUndefined, z.enum(["local", "s3"]).default("local")),
  ARTIFACT_S3_BUCKET: z.preprocess(emptyAsUndefined, z.string().optional()),
  ARTIFACT_S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url().optional()),
  /** A remote Playwright browser server (ws://…) instead of a local Chromium. */
  BROWSER_WS_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^wss?$/ }).optional()),
});

export type DeploymentVariables = z.infer<typeof deploymentVariablesSchema>;

/** Parses the variables above from a raw environment record; throws a sentence per problem. */
export function readDeploymentVariables(source: Record<string, string | undefined>): DeploymentVariables {
  const parsed = deploymentVariablesSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment configuration: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  }
  return parsed.data;
}

let cached: DeploymentVariables | undefined;

/**
 * This process's values (the web app's doctor). The one other reader of `process.env` beside
 * env.ts, until these variables move there.
 */
export function getDeploymentVariables(): DeploymentVariables {
  cached ??= readDeploymentVariables(process.env);
  return cached;
}
