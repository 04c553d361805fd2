import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { createCrontab } from "@/jobs/crontab";
import { expectedBucketName } from "@/lib/artifacts/bucket-name";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { S3ArtifactStore } from "@/lib/artifacts/s3-store";
import { EnvError, parseEnv } from "@/lib/config/env";
import { artifactRetentionFrom, artifactS3From, resolveIntegrations } from "@/lib/config/integrations";
import { TASK_PAYLOADS } from "@/lib/queue/tasks";

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), "ns-s3-config-"));

describe("artifact store configuration", () => {
  it("keeps the local folder by default", () => {
    const env = parseEnv({});
    expect(env.ARTIFACT_STORE).toBe("local");
    const integrations = resolveIntegrations(parseEnv({ NIGHTSHIFT_DATA_DIR: dataDir() }));
    expect(integrations.artifactS3).toBeNull();
    expect(createArtifactStore(integrations).kind).toBe("local");
  });

  it("refuses ARTIFACT_STORE=s3 without a bucket at startup, with a sentence naming the variable", () => {
    expect(() => parseEnv({ ARTIFACT_STORE: "s3" })).toThrow(EnvError);
    expect(() => parseEnv({ ARTIFACT_STORE: "s3" })).toThrow(/ARTIFACT_S3_BUCKET: must be set when ARTIFACT_STORE=s3/);
    expect(() => parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "" })).toThrow(/ARTIFACT_S3_BUCKET/);
  });

  it("refuses an unknown store and endpoints that are not http(s) URLs", () => {
    expect(() => parseEnv({ ARTIFACT_STORE: "gcs" })).toThrow(/ARTIFACT_STORE/);
    expect(() => parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "b", ARTIFACT_S3_ENDPOINT: "minio:9000" })).toThrow(/ARTIFACT_S3_ENDPOINT/);
    expect(() => parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "b", ARTIFACT_S3_PUBLIC_ENDPOINT: "ftp://x" })).toThrow(/ARTIFACT_S3_PUBLIC_ENDPOINT/);
  });

  it("builds the S3 store's config: region default, endpoints without trailing slashes, the public endpoint defaulting to the endpoint", () => {
    const env = parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "nightshift-stage-artifacts", ARTIFACT_S3_ENDPOINT: "http://minio:9000/", ARTIFACT_S3_FORCE_PATH_STYLE: "on" });
    expect(artifactS3From(env)).toEqual({ bucket: "nightshift-stage-artifacts", region: "us-east-1", endpoint: "http://minio:9000", publicEndpoint: "http://minio:9000", forcePathStyle: true });
    const split = parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "b", ARTIFACT_S3_REGION: "eu-west-1", ARTIFACT_S3_ENDPOINT: "http://minio:9000", ARTIFACT_S3_PUBLIC_ENDPOINT: "https://files.example.com" });
    expect(artifactS3From(split)).toMatchObject({ region: "eu-west-1", endpoint: "http://minio:9000", publicEndpoint: "https://files.example.com", forcePathStyle: false });
    const aws = parseEnv({ ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "b" });
    expect(artifactS3From(aws)).toMatchObject({ endpoint: null, publicEndpoint: null });
    const store = createArtifactStore(resolveIntegrations(parseEnv({ NIGHTSHIFT_DATA_DIR: dataDir(), ARTIFACT_STORE: "s3", ARTIFACT_S3_BUCKET: "b" })));
    expect(store).toBeInstanceOf(S3ArtifactStore);
    (store as S3ArtifactStore).destroy();
  });

  it("keeps artifacts 90 days and redaction-sensitive ones 30 by default, never the sensitive ones longer", () => {
    expect(artifactRetentionFrom(parseEnv({}))).toEqual({ days: 90, sensitiveDays: 30 });
    expect(artifactRetentionFrom(parseEnv({ ARTIFACT_RETENTION_DAYS: "14" }))).toEqual({ days: 14, sensitiveDays: 14 });
    expect(artifactRetentionFrom(parseEnv({ ARTIFACT_RETENTION_DAYS: "365", ARTIFACT_RETENTION_SENSITIVE_DAYS: "7" }))).toEqual({ days: 365, sensitiveDays: 7 });
    expect(() => parseEnv({ ARTIFACT_RETENTION_DAYS: "0" })).toThrow(/ARTIFACT_RETENTION_DAYS/);
    expect(() => parseEnv({ ARTIFACT_RETENTION_SENSITIVE_DAYS: "a week" })).toThrow(/ARTIFACT_RETENTION_SENSITIVE_DAYS/);
  });

  it("names each environment's bucket nightshift-<env>-artifacts", () => {
    expect(expectedBucketName("stage")).toBe("nightshift-stage-artifacts");
    expect(expectedBucketName("prod")).toBe("nightshift-prod-artifacts");
    expect(expectedBucketName("dev")).toBe("nightshift-dev-artifacts");
  });

  it("schedules prune_artifacts daily, one queued run at most, with a payload its task accepts", () => {
    const [prune] = parseCrontab(createCrontab()).filter((item) => item.task === "prune_artifacts");
    expect(prune?.options).toMatchObject({ jobKey: "prune_artifacts", maxAttempts: 3 });
    expect(prune?.match).toBeDefined();
    expect(TASK_PAYLOADS.prune_artifacts.safeParse({ _cron: { ts: "2026-12-02T04:40:00Z" } }).success).toBe(true);
  });
});
