import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runs } from "@/drizzle/schema";
import { upsertCaseFromCrm } from "@/lib/cases/upsert-case";
import { RestCrmConnector } from "@/lib/crm/rest-connector";
import { REDACTED_LOG_PATHS } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import { resumePortal } from "@/lib/oems/pause-portal";
import type { Sandbox } from "../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestWorker, testIntegrations } from "../support/worker";
import { readZipEntries } from "../support/zip";
import { admin, CRM_TOKEN, crm, startTestSandbox, type CaseBody } from "./sandbox/helpers";

/** A password that must never show up anywhere: logs, artifacts, traces, the database, the CRM. */
const CANARY = "canary-Pw-7f3a9c-K2";
const WRONG_CANARY = "canary-Wrong-91de-Q7";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;
const logLines: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox({ portalCredentials: { arden: { password: CANARY } } });
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-canary-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

/** Every file under a folder as text; zip archives (traces) are opened and each entry read. */
function artifactTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const file = path.join(d, entry);
      if (statSync(file).isDirectory()) walk(file);
      else if (file.endsWith(".zip")) for (const e of readZipEntries(readFileSync(file))) out.set(`${file}!${e.name}`, e.data.toString("latin1"));
      else out.set(file, readFileSync(file).toString("latin1"));
    }
  };
  walk(dir);
  return out;
}

async function settle(runId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [run] = await database.db.select().from(runs).where(eq(runs.id, runId));
    if (run && !["queued", "running", "retry_scheduled"].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error("run did not settle");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("secrets", () => {
  it("keeps a canary portal password out of logs, screenshots, DOM snapshots, traces, the database and the CRM", async () => {
    const log = pino({ level: "trace", redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" } }, new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(chunk.toString()), done()) }));
    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    const newCase = async () => {
      const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
      const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
      return { ...created.body, caseId: stored.id };
    };
    const integrations = testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir });

    // 1. Logged in with the canary, then refused by the portal: a trace, a DOM snapshot and a screenshot exist.
    sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
    const rightPassword = { ...integrations, portals: { ...integrations.portals, arden: { ...integrations.portals.arden!, credentials: { username: "nightshift", password: CANARY } } } };
    let worker = await startTestWorker(database.url, { integrations: rightPassword, log });
    const rejected = await newCase();
    try {
      const run = await settle((await enqueueRun(database.db, database.queue, { caseId: rejected.caseId, maxAttempts: 3 }))!.runId);
      expect(run.status).toBe("needs_review");
    } finally {
      await worker.stop();
      sandbox.setFaults({ portals: { arden: { rejectRate: 0 } } });
    }

    // 2. A wrong password (also a canary) typed into the login form: refused, portal paused.
    const wrongPassword = { ...integrations, portals: { ...integrations.portals, arden: { ...integrations.portals.arden!, credentials: { username: "nightshift", password: WRONG_CANARY } } } };
    worker = await startTestWorker(database.url, { integrations: wrongPassword, log });
    const refused = await newCase();
    try {
      const run = await settle((await enqueueRun(database.db, database.queue, { caseId: refused.caseId, maxAttempts: 3 }))!.runId);
      expect(run.errorClass).toBe("auth");
    } finally {
      await worker.stop();
      await resumePortal(database.db, { oemId: "arden", actor: "test" });
    }

    // The sinks, read for real: the checks below can see the case reference, so they would see a password.
    const files = artifactTexts(artifactsDir);
    expect([...files.keys()].some((k) => k.endsWith("trace.zip!trace.trace"))).toBe(true);
    expect([...files.entries()].some(([k, text]) => k.includes("trace.zip!") && text.includes(rejected.reference))).toBe(true);
    expect([...files.entries()].some(([k, text]) => k.endsWith("dom.html") && text.includes(rejected.reference))).toBe(true);
    expect(logLines.join("").includes(rejected.reference)).toBe(true);

    const database_dump = (await database.db.execute<{ dump: string }>(sql`
      select coalesce(string_agg(t::text, E'\\n'), '') as dump from (
        select failure::text as t from runs union all
        select coalesce(error_message, '') || steps::text from attempts union all
        select payload::text from outbox union all
        select coalesce(last_error, '') from outbox union all
        select message from alerts union all
        select coalesce(paused_reason, '') from oems
      ) s`))[0]!.dump;
    const crmRecords = JSON.stringify([(await admin(sandbox, "GET", "/admin/crm/writes")).body, (await admin(sandbox, "GET", "/admin/crm/cases")).body]);

    for (const secret of [CANARY, WRONG_CANARY]) {
      expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
      expect([...files.entries()].filter(([, text]) => text.includes(secret)).map(([name]) => name)).toEqual([]);
      expect(database_dump.includes(secret)).toBe(false);
      expect(crmRecords.includes(secret)).toBe(false);
    }
  });
});
