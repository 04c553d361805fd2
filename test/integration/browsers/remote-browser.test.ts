import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import { chromium, type BrowserServer } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attempts, runs } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { startTestWorker, testIntegrations } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";
import { until as pollUntil } from "@/test/support/until";

const WS_PATH = "/nightshift-remote-browser";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;
const servers: BrowserServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-remote-"));
});
afterEach(async () => {
  sandbox.setFaults({ portals: { arden: { latencyMs: 0 } } });
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => {})));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

/** A Playwright browser server of our own playwright-core (client and server match major.minor). */
async function startBrowserServer(port = 0): Promise<BrowserServer> {
  const server = await chromium.launchServer({ executablePath: "/usr/bin/chromium", headless: true, port, wsPath: WS_PATH });
  servers.push(server);
  return server;
}

/** A worker whose only browser is the remote one: its local Chromium path leads nowhere. */
function remoteWorker(wsEndpoint: string) {
  const base = testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir });
  return startTestWorker(database.url, {
    integrations: { ...base, browser: { ...base.browser, wsEndpoint, protocol: "playwright" } },
    chromiumPath: "/nonexistent/chromium",
  });
}

async function newRun() {
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
  const run = await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 3 });
  return { runId: run!.runId, reference: created.body.reference };
}

const until = <T,>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000) => pollUntil(probe, timeoutMs, { intervalMs: 50, ignoreErrors: true });

const settled = (runId: string) =>
  until(async () => {
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    return run && !["queued", "running", "retry_scheduled"].includes(run.status) ? run : undefined;
  });
const filings = async (reference: string) =>
  (await admin<{ filings: Array<{ reference: string }> }>(sandbox, "GET", "/admin/filings")).body.filings.filter((f) => f.reference === reference);

describe("remote browsers (BROWSER_WS_ENDPOINT)", () => {
  it("files a case through a browser server the worker connects to, with no local Chromium", async () => {
    const server = await startBrowserServer();
    const worker = await remoteWorker(server.wsEndpoint());
    try {
      const run = await newRun();
      const done = await settled(run.runId);
      expect(done.status).toBe("submitted");
      expect(await filings(run.reference)).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it("records the attempt cut off by the browser server closing as an infrastructure failure, reconnects for the retry and ends submitted once", async () => {
    const first = await startBrowserServer();
    const endpoint = new URL(first.wsEndpoint());
    const worker = await remoteWorker(endpoint.href);
    try {
      // Slow portal: the attempt is mid-way (signed in, filling) when the server goes away.
      sandbox.setFaults({ portals: { arden: { latencyMs: 300 } } });
      const run = await newRun();
      await until(async () => {
        const [row] = await database.db
          .select({ n: sql<number>`jsonb_array_length(${attempts.steps})` })
          .from(attempts)
          .where(eq(attempts.runId, run.runId));
        return (row?.n ?? 0) >= 1;
      });
      await first.close();
      // The fleet brings a browser back at the same address.
      await startBrowserServer(Number(endpoint.port));
      sandbox.setFaults({ portals: { arden: { latencyMs: 0 } } });
      const done = await settled(run.runId);
      expect(done.status).toBe("submitted");
      const history = await database.db
        .select({ status: attempts.status, errorClass: attempts.errorClass, code: attempts.errorCode })
        .from(attempts)
        .where(eq(attempts.runId, run.runId))
        .orderBy(asc(attempts.number));
      expect(history.at(0)).toMatchObject({ status: "failed", errorClass: "infra", code: "browser_crashed" });
      expect(history.at(-1)).toMatchObject({ status: "succeeded" });
      expect(history).toHaveLength(2);
      expect(await filings(run.reference)).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
