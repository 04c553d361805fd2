import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs } from "@/drizzle/schema";
import { SharedBrowser } from "@/jobs/automation/browser";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { listPortalSlots } from "@/lib/portals/sessions";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { quietLog, startTestWorker, testIntegrations } from "../../support/worker";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "../sandbox/helpers";
import { until as pollUntil } from "@/test/support/until";

const CHROMIUM = "/usr/bin/chromium";

const until = <T,>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000) => pollUntil(probe, timeoutMs, { intervalMs: 50 });

describe("browser recycling (SharedBrowser)", () => {
  it("relaunches after N contexts without interrupting an attempt still running on the old browser, which closes after its last context", async () => {
    const pool = new SharedBrowser({ executablePath: CHROMIUM, log: quietLog, recycle: { maxContexts: 2, maxAgeMs: 3_600_000 } });
    try {
      let finishA!: () => void;
      let contextA!: BrowserContext;
      const gateA = new Promise<void>((resolve) => (finishA = resolve));
      // Attempt A holds its context open across the recycle.
      const attemptA = pool.withContext(async (context) => {
        contextA = context;
        const page = await context.newPage();
        await page.setContent("<p id=x>before</p>");
        await gateA;
        await page.setContent("<p id=x>after</p>");
        return page.locator("#x").textContent();
      });
      await until(() => contextA);
      await pool.withContext(async (context) => (await context.newPage()).setContent("<p>B</p>"));
      expect(pool.stats()).toEqual({ launches: 1, open: 1 });
      const oldBrowser = contextA.browser()!;

      // The third context goes to a fresh browser; the old one stays up for A.
      const browserC = await pool.withContext(async (context) => {
        await (await context.newPage()).setContent("<p>C</p>");
        return context.browser();
      });
      expect(browserC).not.toBe(oldBrowser);
      expect(pool.stats()).toEqual({ launches: 2, open: 2 });
      expect(oldBrowser.isConnected()).toBe(true);

      finishA();
      expect(await attemptA).toBe("after");
      await until(() => !oldBrowser.isConnected());
      expect(pool.stats()).toEqual({ launches: 2, open: 1 });
      expect(browserC?.isConnected()).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("relaunches after M minutes", async () => {
    const pool = new SharedBrowser({ executablePath: CHROMIUM, log: quietLog, recycle: { maxContexts: 1000, maxAgeMs: 1_500 } });
    try {
      const first = await pool.withContext((context) => Promise.resolve(context.browser()));
      expect(await pool.withContext((context) => Promise.resolve(context.browser()))).toBe(first);
      await new Promise((r) => setTimeout(r, 1_600));
      const second = await pool.withContext((context) => Promise.resolve(context.browser()));
      expect(second).not.toBe(first);
      await until(() => !first?.isConnected());
      expect(pool.stats()).toEqual({ launches: 2, open: 1 });
    } finally {
      await pool.close();
    }
  });
});

describe("browser recycling in the worker", () => {
  let database: TestDatabase;
  let sandbox: Sandbox;
  let artifactsDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await startTestSandbox();
    await syncOems(database.db, { portalUrls: {} });
    artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-recycle-"));
  });
  afterAll(async () => {
    await sandbox?.close();
    await database?.destroy();
    rmSync(artifactsDir, { recursive: true, force: true });
  });

  const UNITS: Record<string, Record<string, unknown>> = {
    arden: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" },
    borealis: { oem: "borealis", kind: "emissions_report", unitId: "BM-EX2-004512" },
  };
  async function file(oem: string) {
    const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: UNITS[oem] });
    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
    const run = await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 3 });
    return until(async () => {
      const [row] = await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, run!.runId));
      return row && !["queued", "running", "retry_scheduled"].includes(row.status) ? row.status : undefined;
    }, 60_000);
  }
  type SessionStats = { portals: Record<string, { active: number; maxObserved: number; logins: number }> };
  const seen = async () => (await admin<SessionStats>(sandbox, "GET", "/admin/portals/sessions")).body.portals;

  it("signs out the portal sessions kept on a recycled browser and gives their slots back, then signs in afresh on the new one", async () => {
    const base = testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir });
    const worker = await startTestWorker(database.url, { integrations: { ...base, browser: { ...base.browser, recycleContexts: 1 } }, concurrency: 1 });
    try {
      expect(await file("arden")).toBe("submitted");
      // The signed-in arden session is kept (idle, in its slot) for the next arden filing.
      await until(async () => (await listPortalSlots(database.db, { oemId: "arden" }))[0]?.runId === null);
      expect((await seen()).arden).toMatchObject({ active: 1, logins: 1 });

      // A borealis filing needs a second context: the browser is recycled, the kept arden session signed out.
      expect(await file("borealis")).toBe("submitted");
      await until(async () => (await listPortalSlots(database.db, { oemId: "arden" })).length === 0);
      await until(async () => (await seen()).arden?.active === 0);

      expect(await file("arden")).toBe("submitted");
      expect((await seen()).arden).toMatchObject({ logins: 2, maxObserved: 1 });
    } finally {
      await worker.stop();
    }
    expect(await listPortalSlots(database.db)).toEqual([]);
  });
});
