import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batches, runs, workerHeartbeats } from "@/drizzle/schema";
import { syncOems } from "@/lib/oems/catalog";
import { saveSchedule } from "@/lib/schedule/schedule-store";
import { latestSlot } from "@/lib/schedule/slots";
import type { Sandbox } from "../../../sandbox/server";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { spawnWorkerProcess } from "../../support/worker-process";
import { CRM_TOKEN, crm, startTestSandbox } from "../sandbox/helpers";

let database: TestDatabase;
let sandbox: Sandbox;
let artifactsDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startTestSandbox();
  await syncOems(database.db, { portalUrls: {} });
  artifactsDir = mkdtempSync(path.join(os.tmpdir(), "ns-sched-"));
});
afterAll(async () => {
  await sandbox?.close();
  await database?.destroy();
  rmSync(artifactsDir, { recursive: true, force: true });
});

interface Tick {
  kind: string;
  nightKey?: string;
}

/** A worker in its own process, as `npm start` runs it, ticking the schedule every second; collects its tick logs. */
function workerProcess(ticks: Tick[]): ChildProcess {
  const child = spawnWorkerProcess({
    databaseUrl: database.url,
    sandboxPort: sandbox.port,
    crmToken: CRM_TOKEN,
    artifactsDir,
    env: { WORKER_DRAIN_SECONDS: "2", SCHEDULE_TICK_SECONDS: "1", LOG_LEVEL: "debug" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      const entry = JSON.parse(line) as Tick & { msg?: string };
      if (entry.msg === "nightly schedule tick") ticks.push({ kind: entry.kind, nightKey: entry.nightKey });
    } catch {
      /* not a log line */
    }
  });
  return child;
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

describe("the nightly schedule across worker processes", () => {
  it("starts exactly one batch for the night when two worker processes tick it, and files its case", async () => {
    // Real time: a slot a minute ago in Chicago, saved before it, with the deadline hours away.
    const now = new Date();
    const zone = tz("America/Chicago");
    const schedule = { enabled: true, time: format(new Date(now.getTime() - 60_000), "HH:mm", { in: zone }), timeZone: "America/Chicago", deadline: format(new Date(now.getTime() + 3 * 3_600_000), "HH:mm", { in: zone }) };
    await saveSchedule(database.db, { schedule, actor: "test", now: new Date(now.getTime() - 10 * 60_000) });
    const night = latestSlot(schedule, now);
    // A case the dispatcher must pull from the CRM itself.
    await crm(sandbox, "POST", "/cases", { body: { oem: "arden", kind: "warranty_claim", unitId: "1ARHV4Z5BK2M09186" } });

    const ticks: [Tick[], Tick[]] = [[], []];
    const workers = [workerProcess(ticks[0]), workerProcess(ticks[1])];
    try {
      const batch = await until(async () => (await database.db.select().from(batches).where(eq(batches.nightKey, night.nightKey)))[0]);
      expect(batch).toMatchObject({ trigger: "cron", createdBy: "schedule", scheduledFor: night.at, deadline: night.deadline, caseCount: 1, late: false });
      await until(async () => (await database.db.select().from(runs).where(eq(runs.batchId, batch.id)))[0]?.status === "submitted");
      // Both processes are up and keep ticking the same night.
      await until(() => Promise.resolve(ticks[0].length >= 3 && ticks[1].length >= 3), 30_000);
      expect(await database.db.select().from(workerHeartbeats).where(isNull(workerHeartbeats.stoppedAt))).toHaveLength(2);
    } finally {
      await Promise.all(workers.map(stop));
    }
    const all = [...ticks[0], ...ticks[1]];
    expect(all.filter((t) => t.kind === "started")).toHaveLength(1);
    expect(all.every((t) => t.nightKey === night.nightKey && (t.kind === "started" || t.kind === "night_exists"))).toBe(true);
    expect(await database.db.select().from(batches)).toHaveLength(1);
    expect(await database.db.select().from(runs)).toHaveLength(1);
    // No tick failed (a lost race must answer night_exists, never an error).
    const failed = await database.db.execute(sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'dispatch_night' and last_error is not null`);
    expect(failed[0]).toEqual({ n: 0 });
  }, 150_000);
});
