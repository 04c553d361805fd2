import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeWorkerUtils } from "graphile-worker";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { workerHeartbeats } from "@/drizzle/schema";
import { defineTaskWith } from "@/jobs/tasks/define-task";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { connectDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { freePort } from "../support/free-port";
import { quietLog, startTestWorker } from "../support/worker";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});

async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
}

describe("worker", () => {
  it("registers a heartbeat with host and pid, keeps it fresh, and marks it stopped on graceful shutdown", async () => {
    const worker = await startTestWorker(database.url);
    const [row] = await database.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, worker.id));
    expect(row).toMatchObject({ pid: process.pid, stoppedAt: null });
    expect(row?.poolId).toMatch(/^pool-/);
    const firstSeen = row!.lastSeenAt.getTime();
    await waitFor(async () => {
      const [again] = await database.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, worker.id));
      return again!.lastSeenAt.getTime() > firstSeen;
    });
    await worker.stop();
    const [stopped] = await database.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, worker.id));
    expect(stopped?.stoppedAt).toBeInstanceOf(Date);
  });

  it("runs jobs of the explicit task list with a validated payload and drops an invalid payload without retrying", async () => {
    const seen: string[] = [];
    const echo = defineTaskWith(z.object({ text: z.string() }), (payload) => {
      seen.push(payload.text);
    });
    const worker = await startTestWorker(database.url, { taskList: (deps) => ({ echo: echo(deps) }) });
    const utils = await makeWorkerUtils({ connectionString: database.url });
    try {
      await utils.addJob("echo", { text: "hello" });
      await utils.addJob("echo", { text: 42 });
      await waitFor(() => seen.length === 1);
      // Both jobs leave the queue: the invalid one is dropped, not retried 25 times.
      await waitFor(async () => {
        const rows = await database.db.execute<{ n: string }>(sql`select count(*)::text as n from graphile_worker._private_jobs`);
        return rows[0]?.n === "0";
      });
      expect(seen).toEqual(["hello"]);
    } finally {
      await utils.release();
      await worker.stop();
    }
  });

  it("frees jobs locked by a worker whose heartbeat went stale, and never those of a live worker", async () => {
    const ran: string[] = [];
    const record = defineTaskWith(z.object({ id: z.string() }), (payload) => {
      ran.push(payload.id);
    });
    const utils = await makeWorkerUtils({ connectionString: database.url });
    try {
      // A dead worker: its heartbeat is 5 minutes old and it still holds a job lock.
      await database.db.insert(workerHeartbeats).values({ id: "dead-worker", poolId: "pool-dead", host: "gone", pid: 1, concurrency: 1, lastSeenAt: new Date(Date.now() - 300_000) });
      // A live-looking worker (fresh heartbeat) that holds another lock: must stay locked.
      await database.db.insert(workerHeartbeats).values({ id: "busy-worker", poolId: "pool-busy", host: "here", pid: 2, concurrency: 1 });
      const dead = await utils.addJob("record", { id: "from-dead" });
      const busy = await utils.addJob("record", { id: "from-busy" });
      await database.db.execute(sql`update graphile_worker._private_jobs set locked_by = 'pool-dead', locked_at = now() where id = ${dead.id}`);
      await database.db.execute(sql`update graphile_worker._private_jobs set locked_by = 'pool-busy', locked_at = now() where id = ${busy.id}`);

      const worker = await startTestWorker(database.url, { taskList: (deps) => ({ record: record(deps) }), staleAfterSeconds: 60 });
      try {
        await waitFor(() => ran.includes("from-dead"));
        await new Promise((r) => setTimeout(r, 600));
        expect(ran).toEqual(["from-dead"]);
        const [deadRow] = await database.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, "dead-worker"));
        const [busyRow] = await database.db.select().from(workerHeartbeats).where(eq(workerHeartbeats.id, "busy-worker"));
        expect(deadRow?.stoppedAt).toBeInstanceOf(Date);
        expect(busyRow?.stoppedAt).toBeNull();
      } finally {
        await worker.stop();
      }
    } finally {
      await utils.release();
    }
  });

  it("records a job's failure after the database restarted under that write, instead of rejecting unhandled and leaving the job locked", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-release-"));
    rmSync(dataDir, { recursive: true, force: true });
    const port = await freePort();
    let pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log: quietLog });
    await migrateDatabase(pg.url);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    let restarted: Promise<void> | undefined;
    // The handler takes the database down and then fails: graphile-worker's "mark failed" write
    // meets a refused connection, and the server is back 1.5 s later.
    const stumble = defineTaskWith(z.object({}), async () => {
      await pg.stop();
      restarted = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => {
        pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port, log: quietLog });
      });
      throw new Error("stumbled while the database was away");
    });
    const handle = connectDatabase(pg.url, { max: 2 });
    const utils = await makeWorkerUtils({ connectionString: pg.url });
    const worker = await startTestWorker(pg.url, { taskList: (deps) => ({ stumble: stumble(deps) }), concurrency: 1 });
    try {
      const job = await utils.addJob("stumble", {}, { maxAttempts: 1 });
      const released = await waitFor(async () => {
        const rows = await handle.db
          .execute<{ locked_by: string | null; last_error: string | null }>(sql`select locked_by, last_error from graphile_worker._private_jobs where id = ${job.id}`)
          .catch(() => []);
        return rows[0]?.last_error ? rows[0] : undefined;
      }, 30_000);
      expect(released).toEqual({ locked_by: null, last_error: "stumbled while the database was away" });
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await restarted;
      await worker.stop();
      await utils.release();
      await handle.close();
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
