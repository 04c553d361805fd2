import { randomBytes } from "node:crypto";

/** A well-formed deployed environment record (stage or prod), each secret freshly random. */
export function deployedEnvRecord(env: "stage" | "prod", overrides: Record<string, string> = {}): Record<string, string> {
  const credentials = { arden: { username: `ns-${env}-arden`, password: randomBytes(12).toString("hex") }, borealis: { username: `ns-${env}-borealis`, password: randomBytes(12).toString("hex") }, corvid: { username: `ns-${env}-corvid`, password: randomBytes(12).toString("hex") } };
  return {
    NIGHTSHIFT_ENV: env,
    SANDBOX: "off",
    DATABASE_URL: `postgres://nightshift:pw-${env}@db-${env}.internal:5432/nightshift`,
    CRM_BASE_URL: `https://crm-${env}.example.com/api`,
    CRM_TOKEN: `token-${env}-${randomBytes(8).toString("hex")}`,
    CRM_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("base64")}`,
    NIGHTSHIFT_SECRET_KEY: randomBytes(32).toString("base64"),
    ARTIFACT_URL_SECRET: randomBytes(32).toString("base64url"),
    PORTAL_URLS: JSON.stringify({ arden: "https://dealers.arden.example", borealis: "https://portal.borealis.example", corvid: "https://corvid.example/portal" }),
    PORTAL_CREDENTIALS: JSON.stringify(credentials),
    ARTIFACT_STORE: "s3",
    ARTIFACT_S3_BUCKET: `nightshift-${env}-artifacts`,
    ...overrides,
  };
}
