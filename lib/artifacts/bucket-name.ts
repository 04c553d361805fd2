/** The rule for artifact bucket names, one bucket per environment: `nightshift-<env>-artifacts`. */
export function expectedBucketName(env: "stage" | "prod" | "dev"): string {
  return `nightshift-${env}-artifacts`;
}
