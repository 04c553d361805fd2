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
import { actorHeaders } from "../support/actor-headers";
import { getSharedDatabase } from "@/lib/db/shared";
import type * as CredentialsRoute from "@/app/api/portals/[oem]/credentials/route";
import type * as PortalsRoute from "@/app/api/portals/route";
import type * as CaseRoute from "@/app/api/cases/[id]/route";

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
  const deps = (globalThis as { nightshiftWebDeps?: { queue?: Promise<{ release(): Promise<void> }> } }).nightshiftWebDeps;
  await (await deps?.queue?.catch(() => undefined))?.release();
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await getSharedDatabase().close();
  delete (globalThis as { nightshiftDb?: unknown }).nightshiftDb;
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

  it("keeps a canary password and TOTP secret stored through the API out of logs, every table's text, artifacts, traces and API answers", async () => {
    const STORED_CANARY = "canary-Stored-4d2b-Z8";
    const TOTP_CANARY = "CANARYTOTPSECRETQQQQWWWW";
    const webLines: string[] = [];
    const sink = (lines: string[]) => new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const log = pino({ level: "trace", redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" } }, sink(logLines));
    // The web process's logger, as the route wrapper uses it, writing where this test can read it.
    (globalThis as { nightshiftWebDeps?: { log: unknown } }).nightshiftWebDeps = { log: pino({ level: "trace", redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" } }, sink(webLines)) };
    process.env.DATABASE_URL = database.url;
    process.env.SANDBOX_PORT = String(sandbox.port);
    const credentialsRoute: typeof CredentialsRoute = await import("@/app/api/portals/[oem]/credentials/route");
    const portalsRoute: typeof PortalsRoute = await import("@/app/api/portals/route");
    const caseRoute: typeof CaseRoute = await import("@/app/api/cases/[id]/route");
    const signedIn = await actorHeaders("admin");
    const answers: string[] = [];
    const put = async (body: unknown) => {
      const response = await credentialsRoute.PUT(
        new Request("http://127.0.0.1:3000/api/portals/arden/credentials", { method: "PUT", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", ...signedIn }, body: JSON.stringify(body) }),
        { params: Promise.resolve({ oem: "arden" }) },
      );
      answers.push(await response.text());
      return response.status;
    };

    // The portal's account now has the stored canary and a TOTP step; the environment's password is stale.
    await admin(sandbox, "PUT", "/admin/portals/arden/account", { password: STORED_CANARY, totpSecret: TOTP_CANARY });
    // A refused save (bad secret) echoes nothing either.
    expect(await put({ username: "nightshift", password: STORED_CANARY, totpSecret: `${TOTP_CANARY}!` })).toBe(400);
    expect(await put({ username: "nightshift", password: STORED_CANARY, totpSecret: TOTP_CANARY })).toBe(200);

    const connector = new RestCrmConnector({ baseUrl: `${sandbox.url}/crm/api`, token: CRM_TOKEN });
    const newCase = async () => {
      const created = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });
      const stored = await upsertCaseFromCrm(database.db, (await connector.fetchCase(created.body.id))!);
      return { ...created.body, caseId: stored.id };
    };
    const before = new Set(artifactTexts(artifactsDir).keys());
    const worker = await startTestWorker(database.url, { integrations: testIntegrations({ sandboxPort: sandbox.port, crmToken: CRM_TOKEN, artifactsDir }), log });
    const filed = await newCase();
    sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
    const rejected = await newCase();
    try {
      sandbox.setFaults({ portals: { arden: { rejectRate: 0 } } });
      expect((await settle((await enqueueRun(database.db, database.queue, { caseId: filed.caseId, maxAttempts: 3 }))!.runId)).status).toBe("submitted");
      sandbox.setFaults({ portals: { arden: { rejectRate: 1 } } });
      expect((await settle((await enqueueRun(database.db, database.queue, { caseId: rejected.caseId, maxAttempts: 3 }))!.runId)).status).toBe("needs_review");
    } finally {
      await worker.stop();
      sandbox.setFaults({ portals: { arden: { rejectRate: 0 } } });
    }

    const portalsAnswer = await portalsRoute.GET(new Request("http://127.0.0.1:3000/api/portals", { headers: signedIn }), {});
    answers.push(await portalsAnswer.text());
    expect(answers.at(-1)).toContain('"source":"stored"');
    for (const c of [filed, rejected]) {
      const response = await caseRoute.GET(new Request(`http://127.0.0.1:3000/api/cases/${c.caseId}`, { headers: signedIn }), { params: Promise.resolve({ id: c.caseId }) });
      answers.push(await response.text());
    }

    // Every table's rows as text (ours and graphile-worker's), not a list of columns that could miss one.
    const tables = await database.db.execute<{ name: string }>(sql`
      select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`);
    expect(tables.map((t) => t.name)).toContain("public.portal_credentials");
    let dump = "";
    for (const { name } of tables) {
      const rows = await database.db.execute<{ t: string }>(sql.raw(`select t::text as t from ${name} t`));
      dump += rows.map((r) => r.t).join("\n");
    }
    expect(dump).toContain(rejected.reference);
    const files = [...artifactTexts(artifactsDir).entries()].filter(([name]) => !before.has(name));
    expect(files.some(([name, text]) => name.includes("trace.zip!") && text.includes(rejected.reference))).toBe(true);
    expect(files.some(([name]) => name.endsWith("dom.html"))).toBe(true);
    expect(answers.join("").includes(rejected.reference)).toBe(true);

    for (const secret of [STORED_CANARY, TOTP_CANARY]) {
      expect(logLines.filter((l) => l.includes(secret))).toEqual([]);
      expect(webLines.filter((l) => l.includes(secret))).toEqual([]);
      expect(dump.includes(secret)).toBe(false);
      expect(files.filter(([, text]) => text.includes(secret)).map(([name]) => name)).toEqual([]);
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
    }
  });
});
