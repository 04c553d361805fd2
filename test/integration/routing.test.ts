import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, attempts, auditLog, cases, oems, outbox, runs } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { syncOems } from "@/lib/oems/catalog";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import { PortalAuthError, PortalRejectedError, PortalUnavailableError, SelectorMissingError } from "@/lib/runs/errors";
import type { StoredFailure } from "@/lib/domain/types";
import { resumePortal } from "@/lib/oems/pause-portal";
import { overrideRunClass, retryRun } from "@/lib/runs/operator-actions";
import type { PortalAdapter } from "@/jobs/automation/adapter";
import type { WorkerHandle } from "@/jobs/worker";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestWorker, testIntegrations } from "../support/worker";
import { CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "./sandbox/helpers";

/**
 * Routing by error class through the real worker, database and browser, with a scripted adapter
 * per test (the adapter is our code; what is under test is the runner's routing).
 */
let database: TestDatabase;
let sandbox: Sandbox;
let worker: WorkerHandle;
let artifactsDir: string;
/** What the scripted adapter does on attempt n (1-based) of a case reference. */
const scripts = new Map<string, (attempt: number) => Error | "ok" | "crash">();
const attemptsSeen = new Map<string, number>();

const scripted: PortalAdapter = {
  oemId: "arden",
  version: "scripted@1",
  async submit(ctx) {
    const n = (attemptsSeen.get(ctx.case.reference) ?? 0) + 1;
    attemptsSeen.set(ctx.case.reference, n);
    await ctx.step("login", () => ctx.page.setContent("<h1>Portal</h1><input type=password value=x>"));
    await ctx.step("fill", () => ctx.page.setContent(`<h1>Form for ${ctx.case.reference}</h1>`));
    const outcome = scripts.get(ctx.case.reference)?.(n) ?? "ok";
    if (outcome === "crash") {
      // A poison pill: the page takes the browser's renderer down with it.
      return ctx.step("submit", async () => {
        await ctx.page.goto("chrome://crash").catch(() => {});
        await ctx.page.locator("#never").click({ timeout: 3000 });
        return { confirmationNumber: "never", alreadyFiled: false };
      });
    }
    return ctx.step("submit", () => {
      if (outcome !== "ok") return Promise.reject(outcome);
      return Promise.resolve({ confirmationNumber: `ARD-${n}`, alreadyFiled: false });
    });
  },
};

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-routing-"));
  worker = await startTestWorker(database.url, {
    integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }),
    adapters: { arden: scripted },
  });
});
afterAll(async () => {
  await worker?.stop();
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

async function caseWith(script: (attempt: number) => Error | "ok" | "crash") {
  const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
  const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
  const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
  scripts.set(created.body.reference, script);
  const run = await enqueueRun(database.db, database.queue, { caseId: stored.id, maxAttempts: 3 });
  return { crmId: created.body.id, caseId: stored.id, runId: run!.runId, reference: created.body.reference };
}

async function settled(runId: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    const pending = await database.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.runId, runId), eq(outbox.status, "pending")));
    if (run && !["queued", "running", "retry_scheduled"].includes(run.status) && pending.length === 0) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not settle (status ${run?.status})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const attemptsOf = (runId: string) => database.db.select().from(attempts).where(eq(attempts.runId, runId)).orderBy(attempts.number);

describe("routing by error class", () => {
  it("retries a site flake twice, then files on the third attempt", async () => {
    const c = await caseWith((n) => (n < 3 ? new PortalUnavailableError(503) : "ok"));
    const run = await settled(c.runId);
    expect(run).toMatchObject({ status: "submitted", attemptCount: 3, confirmationNumber: "ARD-3" });
    expect((await attemptsOf(c.runId)).map((a) => [a.status, a.errorCode])).toEqual([["failed", "http_503"], ["failed", "http_503"], ["succeeded", null]]);
    // Intermediate failures never reach people: the CRM only hears "submitted".
    const crmCase = (await crm<CaseBody>(sandbox, "GET", `/cases/${c.crmId}`)).body;
    expect(crmCase).toMatchObject({ status: "submitted", confirmationNumber: "ARD-3", notes: [] });
  });

  it("fails a site flake that outlasts three attempts with a failure object, a CRM status and a CRM note", async () => {
    const c = await caseWith(() => new PortalUnavailableError(502));
    const run = await settled(c.runId);
    expect(run).toMatchObject({ status: "failed", errorClass: "site_flake", errorCode: "http_502", attemptCount: 3 });
    const failure = run.failure as StoredFailure;
    expect(failure).toMatchObject({ errorClass: "site_flake", code: "http_502", failingStep: "submit", lastGoodStep: "fill" });
    expect(failure.reason).toMatch(/^Not submitted: the portal was unreachable/);
    expect(failure.attempts).toHaveLength(3);
    // Stored by key; links are made (and signed) when the failure is read.
    expect(failure.evidence.screenshot).toBe(`runs/${c.runId}/3/failure.png`);
    expect(failure.evidence.dom).toMatch(/dom\.html$/);
    expect(failure.evidence.trace).toMatch(/trace\.zip$/);
    expect(failure.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const crmCase = (await crm<CaseBody>(sandbox, "GET", `/cases/${c.crmId}`)).body;
    expect(crmCase.status).toBe("failed");
    expect(crmCase.notes).toHaveLength(1);
    expect(crmCase.notes[0]?.body).toContain(failure.reason);
    // The CRM note carries a signed link to the screenshot (absolute when the app's address is configured).
    expect(crmCase.notes[0]?.body).toMatch(new RegExp(`Screenshot: \\S*/api/artifacts/runs/${c.runId}/3/failure\\.png\\?expires=\\d+&sig=`));
  });

  it("sends a portal rejection back to the CRM as needs review, without retrying", async () => {
    const c = await caseWith(() => new PortalRejectedError("VIN contains invalid characters (I, O and Q are not allowed)", "vin"));
    const run = await settled(c.runId);
    expect(run).toMatchObject({ status: "needs_review", errorClass: "portal_rejected", attemptCount: 1 });
    const crmCase = (await crm<CaseBody>(sandbox, "GET", `/cases/${c.crmId}`)).body;
    expect(crmCase.status).toBe("needs_review");
    expect(crmCase.statusMessage).toContain("VIN contains invalid characters");
  });

  it("parks a changed site and an adapter bug for engineering, without blind retries", async () => {
    const changed = await caseWith(() => new SelectorMissingError("#vin"));
    const bug = await caseWith(() => new TypeError("Cannot read properties of undefined (reading 'vin')"));
    expect(await settled(changed.runId)).toMatchObject({ status: "parked", errorClass: "site_changed", attemptCount: 1 });
    expect(await settled(bug.runId)).toMatchObject({ status: "parked", errorClass: "adapter_bug", errorCode: "unhandled_exception", attemptCount: 1 });
  });

  it("pauses the portal on refused credentials and raises an alert; its queue waits until ops resume it", async () => {
    const refused = await caseWith(() => new PortalAuthError("Invalid username or password"));
    expect(await settled(refused.runId)).toMatchObject({ status: "failed", errorClass: "auth", attemptCount: 1 });
    const [arden] = await database.db.select().from(oems).where(eq(oems.id, "arden"));
    expect(arden?.pausedAt).toBeInstanceOf(Date);
    const [alert] = await database.db.select().from(alerts).where(and(eq(alerts.oemId, "arden"), eq(alerts.kind, "portal_paused")));
    expect(alert?.severity).toBe("critical");

    const waiting = await caseWith(() => "ok");
    await new Promise((r) => setTimeout(r, 2500));
    const [still] = await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, waiting.runId));
    expect(still?.status).toBe("queued");

    await resumePortal(database.db, { oemId: "arden", actor: "test" });
    expect(await settled(waiting.runId)).toMatchObject({ status: "submitted" });
    const [resolved] = await database.db.select().from(alerts).where(eq(alerts.id, alert!.id));
    expect(resolved?.resolvedAt).toBeInstanceOf(Date);
  });

  it("quarantines a case that crashes the browser every time after its attempts, and the worker goes on filing", async () => {
    const pill = await caseWith(() => "crash");
    const run = await settled(pill.runId);
    expect(run).toMatchObject({ status: "failed", errorClass: "infra", attemptCount: 3 });
    const healthy = await caseWith(() => "ok");
    expect(await settled(healthy.runId)).toMatchObject({ status: "submitted" });
  });

  it("lets a person override the class of a parked run and retry it, both audited", async () => {
    let fixed = false;
    const c = await caseWith(() => (fixed ? "ok" : new SelectorMissingError("#vin")));
    expect(await settled(c.runId)).toMatchObject({ status: "parked" });
    await overrideRunClass(database.db, { runId: c.runId, errorClass: "site_flake", reason: "Portal outage, not a change", actor: "ops@example.com" });
    const [overridden] = await database.db.select().from(runs).where(eq(runs.id, c.runId));
    expect(overridden?.errorClass).toBe("site_flake");
    expect((overridden?.failure as StoredFailure).errorClass).toBe("site_flake");

    fixed = true;
    const retried = await retryRun(database.db, database.queue, { runId: c.runId, actor: "ops@example.com", maxAttempts: 3 });
    expect(await settled(retried.runId)).toMatchObject({ status: "submitted" });
    const [ours] = await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, c.caseId));
    expect(ours?.status).toBe("submitted");
    const audit = await database.db.select({ action: auditLog.action, actor: auditLog.actor }).from(auditLog).where(eq(auditLog.runId, c.runId)).orderBy(auditLog.createdAt);
    expect(audit).toEqual([
      { action: "override_class", actor: "ops@example.com" },
      { action: "retry_run", actor: "ops@example.com" },
    ]);
    await expect(retryRun(database.db, database.queue, { runId: retried.runId, actor: "ops", maxAttempts: 3 })).rejects.toMatchObject({ code: "conflict" });
  });
});
