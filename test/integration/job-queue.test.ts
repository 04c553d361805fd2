import { eq, sql } from "drizzle-orm";
import { alerts, cases, outbox, runs } from "@/drizzle/schema";
import { syncOems } from "@/lib/oems/catalog";
import { requeueOrphans } from "@/lib/runs/recover-orphans";
import { enqueueRun } from "@/lib/runs/enqueue-run";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addJobAfterCommit, listDeadLocks, listJobs, withJobs } from "@/lib/queue/job-queue";
import { submitCaseJob } from "@/lib/queue/specs";
import { createTestDatabase, type TestDatabase } from "../support/database";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

const runId = (n: number) => `3f2b1c4e-0000-4000-8000-${String(n).padStart(12, "0")}`;
const job = (n: number) => submitCaseJob({ runId: runId(n), oemId: "arden", priority: 0, runAt: null });
const keys = (...ns: number[]) => ns.map((n) => `run:${runId(n)}`);

describe("the job queue", () => {
  it("adds a transaction's jobs only once it commits, and none when it rolls back", async () => {
    let seenInside: number | undefined;
    await withJobs(database.db, database.queue, async (tx) => {
      addJobAfterCommit(tx, job(1));
      seenInside = (await listJobs(database.db, { keys: keys(1) })).length;
    });
    expect(seenInside).toBe(0);
    expect(await listJobs(database.db, { keys: keys(1) })).toHaveLength(1);

    await expect(
      withJobs(database.db, database.queue, async (tx) => {
        addJobAfterCommit(tx, job(2));
        await tx.execute(sql`select 1`);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await listJobs(database.db, { keys: keys(2) })).toHaveLength(0);
  });

  it("hands a nested transaction's jobs to the outermost one", async () => {
    await withJobs(database.db, database.queue, async (tx) => {
      await withJobs(tx, database.queue, async (inner) => {
        addJobAfterCommit(inner, job(3));
        await inner.execute(sql`select 1`);
      });
      expect(await listJobs(database.db, { keys: keys(3) })).toHaveLength(0);
    });
    expect(await listJobs(database.db, { keys: keys(3) })).toHaveLength(1);
  });

  it("refuses to run inside a transaction it did not open, whose commit it could not wait for", async () => {
    await expect(
      database.db.transaction((tx) =>
        withJobs(tx, database.queue, async (inner) => {
          addJobAfterCommit(inner, job(10));
          await inner.execute(sql`select 1`);
        }),
      ),
    ).rejects.toThrow(/did not open/);
    expect(await listJobs(database.db, { keys: keys(10) })).toHaveLength(0);
  });

  it("rolls the transaction back when it asks for a job with an invalid payload", async () => {
    await expect(
      withJobs(database.db, database.queue, async (tx) => {
        await tx.insert(alerts).values({ severity: "info", kind: "test", message: "must be rolled back" });
        addJobAfterCommit(tx, { task: "submit_case", payload: { runId: "nope" } });
      }),
    ).rejects.toThrow(/uuid/i);
    expect(await database.db.select().from(alerts).where(eq(alerts.message, "must be rolled back"))).toEqual([]);
  });

  it("re-queues an open run and a pending write-back that lost their job, and leaves those that have one", async () => {
    await syncOems(database.db, { portalUrls: {} });
    const made = await database.db
      .insert(cases)
      .values(["O1", "O2"].map((ref) => ({ crmId: `CRM-${ref}`, reference: `NS-${ref}`, oemId: "arden", kind: "warranty_claim", crmStatus: "new" })))
      .returning({ id: cases.id });
    const [kept, lost] = await Promise.all(made.map((c) => enqueueRun(database.db, database.queue, { caseId: c.id, maxAttempts: 3 })));
    const [entry] = await database.db.insert(outbox).values({ caseId: made[0]!.id, kind: "note", idempotencyKey: "test:orphan-note", payload: { body: "x" } }).returning({ id: outbox.id });
    // The lost run's job disappears (a process died between its commit and the add); both rows are quiet.
    const [lostJob] = await listJobs(database.db, { keys: [`run:${lost!.runId}`] });
    await database.queue.removeJobs([lostJob!.id]);
    await database.db.execute(sql`update runs set updated_at = now() - interval '1 minute'`);
    await database.db.execute(sql`update outbox set created_at = now() - interval '1 minute'`);

    expect(await requeueOrphans(database.db, database.queue, { graceSeconds: 5, staleAfterSeconds: 60 })).toEqual({ runs: 1, outbox: 1 });
    expect(await listJobs(database.db, { keys: [`run:${lost!.runId}`, `run:${kept!.runId}`, `outbox:${entry!.id}`] })).toHaveLength(3);
    // Nothing is an orphan any more.
    expect(await requeueOrphans(database.db, database.queue, { graceSeconds: 5, staleAfterSeconds: 60 })).toEqual({ runs: 0, outbox: 0 });
    await database.db.delete(outbox);
    await database.db.delete(runs);
  });

  it("refuses an invalid payload before anything reaches the queue", async () => {
    const count = async () => (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from graphile_worker.jobs`))[0]?.n;
    const before = await count();
    await expect(database.queue.addJob({ task: "submit_case", payload: { runId: "nope" } })).rejects.toThrow(/uuid/i);
    await expect(database.queue.addJobs([job(9), { task: "deliver_crm_update", payload: { outboxId: 7 as unknown as string } }])).rejects.toThrow();
    expect(await count()).toBe(before);
  });

  it("replaces a queued job under the same key instead of adding a second one", async () => {
    await database.queue.addJob(job(4));
    await database.queue.addJob({ ...job(4), priority: -1 });
    const jobs = await listJobs(database.db, { keys: keys(4) });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.priority).toBe(-1);
  });

  it("finds locks held by a dead pool, or held too long by a pool no live worker owns, and not a live pool's", async () => {
    await database.queue.addJobs([job(5), job(6), job(7), job(8)]);
    const [a, b, c, d] = await listJobs(database.db, { keys: keys(5, 6, 7, 8) }).then((rows) => rows.sort((x, y) => (x.key! < y.key! ? -1 : 1)));
    // Taking locks by hand is the only way to simulate dead workers; the public view is read-only.
    const lock = (id: string, pool: string, secondsAgo: number) =>
      database.db.execute(sql`update graphile_worker._private_jobs set locked_by = ${pool}, locked_at = now() - make_interval(secs => ${secondsAgo}) where id = ${id}`);
    await lock(a!.id, "pool-dead", 1);
    await lock(b!.id, "pool-unknown", 120);
    await lock(c!.id, "pool-live", 120);
    await lock(d!.id, "pool-unknown-fresh", 1);
    const dead = await listDeadLocks(database.db, { deadPoolIds: ["pool-dead"], livePoolIds: ["pool-live"], staleAfterSeconds: 60 });
    expect(dead.map((j) => j.lockedBy).sort()).toEqual(["pool-dead", "pool-unknown"]);
  });
});
