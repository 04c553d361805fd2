import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, runs } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { toFailureObject } from "@/lib/artifacts/failure-links";
import type { S3ArtifactStore } from "@/lib/artifacts/s3-store";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { storedFailureSchema } from "@/lib/domain/types";
import { syncOems } from "@/lib/oems/catalog";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from "../../support/s3-server";
import { startTestWorker, testIntegrations } from "../../support/worker";
import { readZipEntries } from "../../support/zip";
import { CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";

// End to end: the worker files a case the portal refuses, and its evidence (screenshot, DOM
// snapshot, trace) lands in an S3 bucket, with credentials from the standard AWS chain.

const BUCKET = "nightshift-dev-artifacts";
let database: TestDatabase;
let sandbox: Sandbox;
let s3: S3TestServer;
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  [database, sandbox, s3] = await Promise.all([createTestDatabase(), startTestSandbox(), startS3Server([BUCKET])]);
  await syncOems(database.db, { portalUrls: {} });
  // The worker's store has no credentials of its own: the SDK's default chain reads these.
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
});

afterAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = savedEnv.id;
  process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
  if (savedEnv.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  if (savedEnv.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  await sandbox?.close();
  await s3?.close();
  await database?.destroy();
});

async function settle(runId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    if (run && !["queued", "running", "retry_scheduled"].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error("run did not settle");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the worker with ARTIFACT_STORE=s3", () => {
  it("writes a refused filing's screenshot, DOM snapshot and trace to the bucket, linked by a presigned URL and the app's route", async () => {
    const base = testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN });
    const integrations = { ...base, artifactsDir: "/nonexistent/not-used", artifactS3: s3.storeConfig(BUCKET) };
    sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
    const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
    const worker = await startTestWorker(database.url, { integrations });
    let runId: string;
    try {
      runId = (await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 1 }))!.runId;
      expect((await settle(runId)).status).toBe("needs_review");
    } finally {
      await worker.stop();
    }

    const rows = await database.db.select().from(artifacts).where(eq(artifacts.runId, runId));
    expect(rows.map((r) => r.kind).sort()).toEqual(["dom", "screenshot", "trace"]);
    const reader = createArtifactStore(integrations, { credentials: S3RVER_CREDENTIALS }) as S3ArtifactStore;
    try {
      for (const row of rows) {
        const got = await reader.get(row.key);
        expect(got, row.key).not.toBeNull();
        const bytes = Buffer.from(await new Response(got!.body as unknown as ReadableStream).arrayBuffer());
        // The row records what was streamed up.
        expect(bytes.byteLength).toBe(row.bytes);
        if (row.kind === "trace") expect(readZipEntries(bytes).map((e) => e.name)).toContain("trace.trace");
        if (row.kind === "dom") expect(bytes.toString("utf8")).toContain(created.body.reference);
      }

      const [run] = await database.db.select({ failure: runs.failure }).from(runs).where(eq(runs.id, runId));
      const failure = await toFailureObject(storedFailureSchema.parse(run!.failure), reader, { ttlSeconds: 900 });
      expect(failure.screenshotUrl).toContain(`${s3.endpoint}/${BUCKET}/runs/${runId}/`);
      const shot = await fetch(failure.screenshotUrl!);
      expect(shot.status).toBe(200);
      expect(shot.headers.get("content-type")).toBe("image/png");
      expect(failure.traceUrl).toMatch(new RegExp(`/api/artifacts/runs/${runId}/1/trace\\.zip\\?expires=`));
    } finally {
      reader.destroy();
    }
  });
});
