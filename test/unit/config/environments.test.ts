import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { compareEnvironments, describeEnvironment, ENVIRONMENT_RULES, type EnvironmentFacts, type RuleId } from "@/lib/config/environments";
import { deployedEnvRecord } from "@/test/support/environment-pair";

const CRONTAB = "* * * * * dispatch_night ?max=1\n*/5 * * * * sync_crm";
const SETTINGS = { schedule: { enabled: true, time: "01:30", timeZone: "America/Chicago", deadline: "07:00" }, recipe: { order: "redaction_first", concurrency: 3 }, portalLimits: { default: 2, byPortal: { arden: 1 } } };

function fingerprint(record: Record<string, string>, facts: Partial<EnvironmentFacts> = {}) {
  return describeEnvironment(parseEnv(record), { crontab: CRONTAB, schemaVersion: "0005_people_and_credentials", settings: SETTINGS, ...facts });
}

function rulesOf(stage: Record<string, string>, prod: Record<string, string>, factsA: Partial<EnvironmentFacts> = {}, factsB: Partial<EnvironmentFacts> = {}): RuleId[] {
  return compareEnvironments(fingerprint(stage, factsA), fingerprint(prod, factsB)).map((v) => v.rule);
}

describe("environment parity rules", () => {
  it("finds no violation between a correct stage and prod", () => {
    expect(compareEnvironments(fingerprint(deployedEnvRecord("stage")), fingerprint(deployedEnvRecord("prod")))).toEqual([]);
  });

  it("gives every rule a sentence and a kind", () => {
    for (const rule of ENVIRONMENT_RULES) {
      expect(rule.sentence).toMatch(/^[A-Z].*\.$/);
      expect(["identical", "differ"]).toContain(rule.kind);
    }
  });

  it("retry-policy: names the bound that differs with both values", () => {
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage", { RETRY_MAX_DELAY_SECONDS: "300" })), fingerprint(deployedEnvRecord("prod")));
    expect(violations).toEqual([{ rule: "retry-policy", field: "RETRY_MAX_DELAY_SECONDS", sentence: expect.stringContaining("is 300 on stage but 600 on prod") as string }]);
  });

  it("retry-policy: the recipe's retry bounds follow SANDBOX", () => {
    const stage = fingerprint(deployedEnvRecord("stage", { SANDBOX: "on" }));
    const violations = compareEnvironments(stage, fingerprint(deployedEnvRecord("prod")));
    expect(violations.map((v) => v.field)).toContain("recipeMinDelaySeconds");
  });

  it("timeouts: a different attempt timeout is named", () => {
    expect(rulesOf(deployedEnvRecord("stage", { ATTEMPT_TIMEOUT_SECONDS: "120" }), deployedEnvRecord("prod"))).toEqual(["timeouts"]);
  });

  it("crontab: an entry only one side has is named", () => {
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage"), { crontab: `${CRONTAB}\n10 4 * * * prune_heartbeats` }), fingerprint(deployedEnvRecord("prod")));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: "crontab", sentence: expect.stringContaining("only on the first: 10 4 * * * prune_heartbeats") as string });
  });

  it("crontab: whitespace and comments do not count", () => {
    expect(rulesOf(deployedEnvRecord("stage"), deployedEnvRecord("prod"), { crontab: `# ticks\n*  *  * * * dispatch_night ?max=1\n\n*/5 * * * * sync_crm` })).toEqual([]);
  });

  it("task-ids, queue-names, job-key-formats: a fingerprint from another release differs", () => {
    const stage = fingerprint(deployedEnvRecord("stage"));
    const prod = fingerprint(deployedEnvRecord("prod"));
    const older = { ...prod, identical: { ...prod.identical, taskIds: prod.identical.taskIds.filter((t) => t !== "watch_batches"), queueNames: { ...prod.identical.queueNames, flags: [] }, jobKeyFormats: ["run:<runId>"] } };
    expect(compareEnvironments(stage, older).map((v) => v.rule)).toEqual(["task-ids", "queue-names", "job-key-formats"]);
    expect(compareEnvironments(stage, older)[0]!.sentence).toContain("only on the first: watch_batches");
  });

  it("schema-version: a database behind, and one that could not be read", () => {
    expect(rulesOf(deployedEnvRecord("stage"), deployedEnvRecord("prod"), {}, { schemaVersion: "0004_search_and_group_indexes" })).toEqual(["schema-version"]);
    const unknown = compareEnvironments(fingerprint(deployedEnvRecord("stage")), fingerprint(deployedEnvRecord("prod"), { schemaVersion: null, settings: null }));
    expect(unknown).toEqual([{ rule: "schema-version", field: "schemaVersion", sentence: expect.stringContaining("of prod could not be read") as string }]);
  });

  it("schedule-, recipe- and portal-limits-promoted: settings that were not promoted", () => {
    const prodSettings = { schedule: { ...SETTINGS.schedule, time: "02:00" }, recipe: { ...SETTINGS.recipe, concurrency: 4 }, portalLimits: { default: 3, byPortal: {} } };
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage")), fingerprint(deployedEnvRecord("prod"), { settings: prodSettings }));
    expect(violations.map((v) => v.rule)).toEqual(["schedule-promoted", "recipe-promoted", "portal-limits-promoted"]);
    expect(violations[0]!.sentence).toContain("(time)");
    expect(violations[0]!.sentence).toContain("Settings → Promote");
  });

  it("environment-names: two prods, or a dev side", () => {
    expect(rulesOf(deployedEnvRecord("prod"), deployedEnvRecord("prod"))).toContain("environment-names");
    expect(rulesOf(deployedEnvRecord("stage", { NIGHTSHIFT_ENV: "dev" }), deployedEnvRecord("prod"))).toContain("environment-names");
  });

  it("database-distinct: the same database, even with other credentials, and an unset one", () => {
    const prod = deployedEnvRecord("prod");
    const shared = deployedEnvRecord("stage", { DATABASE_URL: prod.DATABASE_URL!.replace("pw-prod", "other") });
    const violations = compareEnvironments(fingerprint(shared), fingerprint(prod));
    expect(violations).toEqual([{ rule: "database-distinct", field: "DATABASE_URL", sentence: "stage and prod use the same database (db-prod.internal:5432/nightshift): give each its own." }]);
    expect(rulesOf(deployedEnvRecord("stage", { DATABASE_URL: "" }), prod)).toEqual(["database-distinct"]);
  });

  it("bucket-name: an S3 bucket not named nightshift-<env>-artifacts", () => {
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage", { ARTIFACT_S3_BUCKET: "stage-stuff" })), fingerprint(deployedEnvRecord("prod")));
    expect(violations).toEqual([{ rule: "bucket-name", field: "stage.ARTIFACT_S3_BUCKET", sentence: "stage's bucket is stage-stuff, not nightshift-stage-artifacts: name it nightshift-stage-artifacts." }]);
  });

  it("bucket-distinct: a shared bucket (which also breaks the name rule on one side)", () => {
    expect(rulesOf(deployedEnvRecord("stage", { ARTIFACT_S3_BUCKET: "nightshift-prod-artifacts" }), deployedEnvRecord("prod"))).toEqual(["bucket-name", "bucket-distinct"]);
  });

  it("bucket-distinct: one local artifacts folder on one host", () => {
    const local = { ARTIFACT_STORE: "local", ARTIFACT_S3_BUCKET: "", ARTIFACTS_DIR: "/srv/artifacts" };
    const stage = deployedEnvRecord("stage", { ...local, DATABASE_URL: "postgres://u:p@db.internal:5432/stage" });
    const prod = deployedEnvRecord("prod", { ...local, DATABASE_URL: "postgres://u:p@db.internal:5432/prod" });
    expect(rulesOf(stage, prod)).toEqual(["bucket-distinct"]);
    expect(rulesOf(stage, { ...prod, ARTIFACTS_DIR: "/srv/prod-artifacts" })).toEqual([]);
  });

  it("secret-set: an unset secret, and a generated per-checkout one", () => {
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage", { ARTIFACT_URL_SECRET: "" }), { generatedSecrets: ["CRM_WEBHOOK_SECRET"] }), fingerprint(deployedEnvRecord("prod")));
    expect(violations.map((v) => [v.rule, v.field])).toEqual([
      ["secret-set", "stage.ARTIFACT_URL_SECRET"],
      ["secret-set", "stage.CRM_WEBHOOK_SECRET"],
    ]);
  });

  it.each(["NIGHTSHIFT_SECRET_KEY", "ARTIFACT_URL_SECRET", "CRM_WEBHOOK_SECRET"])("secret-distinct: a shared %s is named, its value never printed", (name) => {
    const prod = deployedEnvRecord("prod");
    const stage = deployedEnvRecord("stage", { [name]: prod[name]! });
    const violations = compareEnvironments(fingerprint(stage), fingerprint(prod));
    expect(violations).toEqual([{ rule: "secret-distinct", field: `secrets.${name}`, sentence: expect.stringContaining(`${name} is the same on stage and prod`) as string }]);
    const printed = JSON.stringify([violations, fingerprint(stage), fingerprint(prod)]);
    for (const secret of [prod[name]!, stage.CRM_TOKEN!, prod.CRM_TOKEN!]) expect(printed).not.toContain(secret);
  });

  it("crm-distinct and crm-token-distinct: one CRM, one token", () => {
    const prod = deployedEnvRecord("prod");
    expect(rulesOf(deployedEnvRecord("stage", { CRM_BASE_URL: `${prod.CRM_BASE_URL!}/` }), prod)).toEqual(["crm-distinct"]);
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage", { CRM_TOKEN: prod.CRM_TOKEN! })), fingerprint(prod));
    expect(violations.map((v) => v.rule)).toEqual(["crm-token-distinct"]);
    expect(JSON.stringify(violations)).not.toContain(prod.CRM_TOKEN!);
  });

  it("portal-accounts-distinct: the same portal account on both sides, from the environment or stored", () => {
    const prod = deployedEnvRecord("prod");
    const stage = deployedEnvRecord("stage", { PORTAL_CREDENTIALS: prod.PORTAL_CREDENTIALS! });
    expect(rulesOf(stage, prod)).toEqual(["portal-accounts-distinct", "portal-accounts-distinct", "portal-accounts-distinct"]);
    const account = { username: "shared", password: "hunter2-secret" };
    const violations = compareEnvironments(fingerprint(deployedEnvRecord("stage"), { portalAccounts: { arden: account } }), fingerprint(prod, { portalAccounts: { arden: account } }));
    expect(violations).toEqual([{ rule: "portal-accounts-distinct", field: "portalAccounts.arden", sentence: expect.stringContaining("arden portal with the same account") as string }]);
    expect(JSON.stringify(violations)).not.toContain("hunter2");
  });

  it("hashes depend on the run's key, so a printed hash says nothing on its own", () => {
    const record = deployedEnvRecord("prod");
    const one = fingerprint(record, { hashKey: "a" }).differ.secrets.NIGHTSHIFT_SECRET_KEY;
    const two = fingerprint(record, { hashKey: "b" }).differ.secrets.NIGHTSHIFT_SECRET_KEY;
    expect(one).toMatch(/^hmac:[0-9a-f]{16}$/);
    expect(one).not.toBe(two);
  });
});

describe("the environments README text", () => {
  it("lists every rule with its sentence (docs/environments.md cannot drift)", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../../../docs/environments.md", import.meta.url), "utf8");
    for (const rule of ENVIRONMENT_RULES) expect(text).toContain(`| \`${rule.id}\` | ${rule.kind} | ${rule.sentence} |`);
  });
});
