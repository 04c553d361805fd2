import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { syncOems } from "@/lib/oems/catalog";
import { clearPortalCredentials, setPortalCredentials } from "@/lib/portals/credentials";
import { exportSettings, importSettings } from "@/lib/promote/settings-transfer";
import { resolveSecretKeys } from "@/lib/secrets/secret-key";
import { saveSchedule } from "@/lib/schedule/schedule-store";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { deployedEnvRecord } from "@/test/support/environment-pair";
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from "@/test/support/s3-server";

/**
 * The done-when test of "environments with parity by construction": `npm run doctor -- --compare`
 * on two real databases (stage and prod) and two env files passes on a correct pair and fails,
 * naming the rule, for a different retry bound, a shared bucket and a shared secret.
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");

let stage: TestDatabase;
let prod: TestDatabase;
let dir: string;

beforeAll(async () => {
  [stage, prod] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dir = mkdtempSync(path.join(os.tmpdir(), "ns-parity-"));
});
afterAll(async () => {
  await Promise.all([stage?.destroy(), prod?.destroy()]);
  rmSync(dir, { recursive: true, force: true });
});

function envFile(name: string, record: Record<string, string>): string {
  const file = path.join(dir, name);
  // JSON values in single quotes, as an operator writes them.
  writeFileSync(file, Object.entries(record).map(([k, v]) => (v.startsWith("{") ? `${k}='${v}'` : `${k}=${v}`)).join("\n"));
  return file;
}

interface CompareOutput {
  ok: boolean;
  violations: Array<{ rule: string; field: string; sentence: string }>;
  notes: string[];
}

async function doctorCli(args: string[]) {
  const child = run(process.execPath, ["--import", "tsx", "scripts/doctor.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NODE_ENV: "production" }, timeout: 30_000 });
  try {
    return { code: 0, stdout: (await child).stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "" };
  }
}

async function compare(stageRecord: Record<string, string>, prodRecord: Record<string, string>, format: "json" | "table" = "json") {
  const a = envFile(`.env.stage-${Math.random().toString(36).slice(2)}`, stageRecord);
  const b = envFile(`.env.prod-${Math.random().toString(36).slice(2)}`, prodRecord);
  const args = ["--import", "tsx", "scripts/doctor.ts", "--compare", "stage", "prod", "--env-file-a", a, "--env-file-b", b, ...(format === "json" ? ["--json"] : [])];
  // Only what a shell needs: the env files carry the configuration, not this process's environment.
  const child = run(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), NODE_ENV: "production" }, timeout: 30_000 });
  try {
    const { stdout } = await child;
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw error;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr };
  }
}

function records(overrides: { stage?: Record<string, string>; prod?: Record<string, string> } = {}) {
  const common = { NIGHTSHIFT_DATA_DIR: dir };
  return {
    stage: deployedEnvRecord("stage", { ...common, DATABASE_URL: stage.url, ...overrides.stage }),
    prod: deployedEnvRecord("prod", { ...common, DATABASE_URL: prod.url, ...overrides.prod }),
  };
}

describe("npm run doctor -- --compare stage prod", () => {
  it("passes on a correct pair (both databases at the same migration, defaults promoted alike)", async () => {
    const pair = records();
    const result = await compare(pair.stage, pair.prod);
    const output = JSON.parse(result.stdout) as CompareOutput;
    expect(output.violations).toEqual([]);
    expect(output.notes).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("fails naming retry-policy for a different retry bound", async () => {
    const pair = records({ stage: { RETRY_MIN_DELAY_SECONDS: "60" } });
    const result = await compare(pair.stage, pair.prod);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as CompareOutput).violations).toEqual([{ rule: "retry-policy", field: "RETRY_MIN_DELAY_SECONDS", sentence: expect.stringContaining("is 60 on stage but 120 on prod") as string }]);
  });

  it("fails naming bucket-distinct (and bucket-name) for a shared bucket", async () => {
    const pair = records({ stage: { ARTIFACT_S3_BUCKET: "nightshift-prod-artifacts" } });
    const result = await compare(pair.stage, pair.prod);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as CompareOutput).violations.map((v) => v.rule)).toEqual(["bucket-name", "bucket-distinct"]);
  });

  it("fails naming secret-distinct for a shared secret, and never prints it", async () => {
    const pair = records();
    pair.stage.ARTIFACT_URL_SECRET = pair.prod.ARTIFACT_URL_SECRET!;
    const result = await compare(pair.stage, pair.prod, "table");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}secret-distinct {2}ARTIFACT_URL_SECRET is the same on stage and prod/);
    expect(result.stdout).toContain("1 rule violation(s): parity is broken.");
    for (const secret of [pair.prod.ARTIFACT_URL_SECRET!, pair.prod.NIGHTSHIFT_SECRET_KEY!, pair.prod.CRM_TOKEN!, pair.prod.CRM_WEBHOOK_SECRET!]) expect(result.stdout).not.toContain(secret);
  });

  it("fails naming schedule-promoted for a schedule changed on stage only, and passes once it is promoted", async () => {
    await saveSchedule(stage.db, { schedule: { enabled: true, time: "00:45", timeZone: "America/Chicago", deadline: "06:30" }, actor: "stage-admin" });
    const pair = records();
    const before = await compare(pair.stage, pair.prod);
    expect(before.code).toBe(1);
    expect((JSON.parse(before.stdout) as CompareOutput).violations).toEqual([{ rule: "schedule-promoted", field: "schedule", sentence: expect.stringContaining("(deadline, time)") as string }]);

    const document = await exportSettings(stage.db, { env: "stage", by: "stage-admin" });
    await importSettings(prod.db, { input: document, bounds: { minDelaySeconds: 120, maxDelaySeconds: 600 }, actor: "prod-admin", preview: false });
    expect((await compare(pair.stage, pair.prod)).code).toBe(0);
  });

  it("fails naming portal-accounts-distinct when both databases store the same portal account (each opened with its own key)", async () => {
    const pair = records();
    const account = { username: "shared-login", password: "shared-Pw-5e1c" };
    for (const [db, record] of [[stage, pair.stage], [prod, pair.prod]] as const) {
      await syncOems(db.db, { portalUrls: {} });
      await setPortalCredentials(db.db, resolveSecretKeys(parseEnv(record)), { oemId: "corvid", input: account, actor: "admin" });
    }
    try {
      const result = await compare(pair.stage, pair.prod);
      expect(result.code).toBe(1);
      expect((JSON.parse(result.stdout) as CompareOutput).violations).toEqual([{ rule: "portal-accounts-distinct", field: "portalAccounts.corvid", sentence: expect.stringContaining("corvid portal with the same account") as string }]);
      expect(result.stdout).not.toContain(account.password);
    } finally {
      for (const db of [stage, prod]) await clearPortalCredentials(db.db, { oemId: "corvid", actor: "admin" });
    }
  });
});

describe("a stage and prod pair with their own buckets on a local S3 server", () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server(["nightshift-stage-artifacts", "nightshift-prod-artifacts"]);
  });
  afterAll(async () => {
    await s3?.close();
  });

  const onS3 = () => ({
    ARTIFACT_S3_ENDPOINT: s3.endpoint,
    ARTIFACT_S3_FORCE_PATH_STYLE: "on",
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
  });
  type Report = { checks: Array<{ id: string; status: string; sentence: string }> };
  const artifactCheck = async (record: Record<string, string>) => {
    const result = await doctorCli(["--env-file", envFile(`.env.one-${Math.random().toString(36).slice(2)}`, record), "--json"]);
    return (JSON.parse(result.stdout) as Report).checks.find((c) => c.id === "artifact-store")!;
  };

  it("each side's doctor writes, reads and deletes a probe in its own bucket, and the pair keeps parity", async () => {
    const pair = records({ stage: onS3(), prod: onS3() });
    const [stageCheck, prodCheck] = await Promise.all([artifactCheck(pair.stage), artifactCheck(pair.prod)]);
    expect(stageCheck).toMatchObject({ status: "ok", sentence: expect.stringContaining('bucket "nightshift-stage-artifacts"') as string });
    expect(prodCheck).toMatchObject({ status: "ok", sentence: expect.stringContaining('bucket "nightshift-prod-artifacts"') as string });
    const result = await compare(pair.stage, pair.prod);
    expect((JSON.parse(result.stdout) as CompareOutput).violations).toEqual([]);
    expect(result.code).toBe(0);
  });

  it("fails the artifact-store check, saying why, for a bucket that does not exist or refused credentials", async () => {
    const missing = records({ prod: { ...onS3(), ARTIFACT_S3_BUCKET: "nightshift-prod-artifacts-typo" } }).prod;
    expect(await artifactCheck(missing)).toMatchObject({ status: "fail", sentence: expect.stringMatching(/nightshift-prod-artifacts-typo.*(not exist|NoSuchBucket)/i) as string });
    const refused = records({ prod: { ...onS3(), AWS_SECRET_ACCESS_KEY: "not-the-secret" } }).prod;
    expect(await artifactCheck(refused)).toMatchObject({ status: "fail" });
  });
});
