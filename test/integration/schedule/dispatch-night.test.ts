import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alerts, auditLog, batches, cases, runs, scheduleSettings } from "@/drizzle/schema";
import { syncOems } from "@/lib/oems/catalog";
import { dispatchNight, type DispatchNightResult } from "@/lib/schedule/dispatch-night";
import { DEFAULT_SCHEDULE } from "@/lib/schedule/schedule";
import { getSchedule, saveSchedule } from "@/lib/schedule/schedule-store";
import { createTestDatabase, type TestDatabase } from "../../support/database";

// The injected clock. Default schedule: 01:30 America/Chicago, deadline 07:00. In December
// Chicago is UTC−6: the night of 2026-12-03 has its slot at 07:30Z and its deadline at 13:00Z.
const INSTALL = new Date("2026-12-02T20:00:00Z");
const SLOT = new Date("2026-12-03T07:30:00Z");
const DEADLINE = new Date("2026-12-03T13:00:00Z");
const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

let database: TestDatabase;
let tick: (now: Date) => Promise<DispatchNightResult>;
let syncs = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  tick = (now) =>
    dispatchNight(database.db, database.queue, {
      now,
      defaultMaxAttempts: 3,
      syncCases: () => {
        syncs += 1;
        return Promise.resolve();
      },
    });
});
afterAll(async () => {
  await database?.destroy();
});

beforeEach(async () => {
  const { db } = database;
  await db.delete(runs);
  await db.delete(batches);
  await db.delete(alerts);
  await db.delete(auditLog);
  await db.delete(scheduleSettings);
  await db.delete(cases);
  await db.insert(cases).values(
    ["A", "B", "C"].map((ref) => ({ crmId: `CRM-${ref}`, reference: `NS-2026-${ref}`, oemId: "arden", kind: "warranty_claim", crmStatus: "new", status: "pending" as const })),
  );
  syncs = 0;
  // The first tick of a fresh install writes the default schedule, counting from then.
  expect(await tick(INSTALL)).toMatchObject({ kind: "waiting", nextSlot: SLOT });
});

async function nightlyBatches() {
  return database.db.select().from(batches).where(eq(batches.trigger, "cron"));
}

describe("the nightly dispatcher", () => {
  it("writes the default schedule on a fresh install's first tick, dated then", async () => {
    expect(await getSchedule(database.db)).toEqual({ schedule: DEFAULT_SCHEDULE, updatedBy: "system", updatedAt: INSTALL });
  });

  it("does nothing before the slot, then starts exactly one batch for the night at the slot", async () => {
    expect(await tick(minutes(SLOT, -1))).toMatchObject({ kind: "waiting" });
    expect(await nightlyBatches()).toHaveLength(0);
    expect(syncs).toBe(0);

    const started = await tick(SLOT);
    expect(started).toMatchObject({ kind: "started", nightKey: "2026-12-03", caseCount: 3, backfilled: false, late: false });
    expect(syncs).toBe(1);
    for (const later of [1, 2, 60]) expect(await tick(minutes(SLOT, later))).toMatchObject({ kind: "night_exists", nightKey: "2026-12-03" });

    const [batch, ...others] = await nightlyBatches();
    expect(others).toHaveLength(0);
    expect(batch).toMatchObject({ nightKey: "2026-12-03", scheduledFor: SLOT, deadline: DEADLINE, createdBy: "schedule", backfilled: false, late: false, caseCount: 3, status: "running" });
    expect(await database.db.select().from(runs).where(eq(runs.batchId, batch!.id))).toHaveLength(3);
    // The CRM is pulled only by the tick that plans.
    expect(syncs).toBe(1);
    expect(await database.db.select().from(alerts)).toHaveLength(0);
  });

  it("starts one batch when many ticks race at the slot", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => tick(minutes(SLOT, 0.5))));
    expect(results.filter((r) => r.kind === "started")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "night_exists")).toHaveLength(5);
    expect(await nightlyBatches()).toHaveLength(1);
    expect(await database.db.select().from(runs)).toHaveLength(3);
  });

  it("does not count a slot that was over before the install, even within its deadline", async () => {
    await database.db.delete(scheduleSettings);
    // Installed at 02:00 Chicago time, half an hour after tonight's slot.
    expect(await tick(minutes(SLOT, 30))).toMatchObject({ kind: "waiting", nextSlot: minutes(SLOT, 24 * 60) });
    expect(await tick(minutes(SLOT, 60))).toMatchObject({ kind: "waiting" });
    expect(await nightlyBatches()).toHaveLength(0);
    // The next night starts on time.
    expect(await tick(minutes(SLOT, 24 * 60))).toMatchObject({ kind: "started", nightKey: "2026-12-04", backfilled: false, late: false });
  });

  it("catches up a slot missed while no worker was up, marked backfilled, if the deadline has not passed", async () => {
    // A tick a few minutes late (a busy worker) is on time.
    const onTime = await tick(minutes(SLOT, 4));
    expect(onTime).toMatchObject({ kind: "started", backfilled: false, late: false });
    await database.db.delete(runs);
    await database.db.delete(batches);
    await database.db.update(cases).set({ status: "pending" });

    const caughtUp = await tick(minutes(SLOT, 3 * 60));
    expect(caughtUp).toMatchObject({ kind: "started", nightKey: "2026-12-03", backfilled: true, late: false, caseCount: 3 });
    const [batch] = await nightlyBatches();
    expect(batch).toMatchObject({ backfilled: true, late: false, scheduledFor: SLOT, deadline: DEADLINE });
    expect(await database.db.select().from(alerts)).toHaveLength(0);
  });

  it("starts a night missed past its deadline anyway, marked late, with a critical alert in words", async () => {
    const late = await tick(minutes(DEADLINE, 75)); // 8:15 AM Central
    expect(late).toMatchObject({ kind: "started", nightKey: "2026-12-03", backfilled: false, late: true, caseCount: 3 });
    const [batch] = await nightlyBatches();
    expect(batch).toMatchObject({ late: true, backfilled: false, deadline: DEADLINE });
    const raised = await database.db.select().from(alerts);
    expect(raised).toEqual([
      expect.objectContaining({
        severity: "critical",
        kind: "night_late",
        resolvedAt: null,
        message: "The nightly batch of Thursday, December 3 started late, at 8:15 AM Central: no worker was up to start it between 1:30 AM and its 7:00 AM deadline, so it will not be done by morning.",
      }),
    ]);
    // A second late tick raises nothing more.
    expect(await tick(minutes(DEADLINE, 76))).toMatchObject({ kind: "night_exists" });
    expect(await database.db.select().from(alerts)).toHaveLength(1);
  });

  it("files an empty night as done: one finished batch with no runs", async () => {
    await database.db.update(cases).set({ status: "submitted" });
    expect(await tick(SLOT)).toMatchObject({ kind: "started", caseCount: 0 });
    expect(await nightlyBatches()).toEqual([expect.objectContaining({ status: "finished", caseCount: 0, nightKey: "2026-12-03" })]);
    expect(await tick(minutes(SLOT, 1))).toMatchObject({ kind: "night_exists" });
  });
});

describe("a schedule change", () => {
  it("takes effect at the next tick: a later time that night starts the batch then", async () => {
    // At 1:00 AM Central, an admin moves tonight's start to 3:00 AM.
    await saveSchedule(database.db, { schedule: { ...DEFAULT_SCHEDULE, time: "03:00" }, actor: "ada", now: minutes(SLOT, -30) });
    expect(await tick(SLOT)).toMatchObject({ kind: "waiting", nextSlot: minutes(SLOT, 90) });
    expect(await tick(minutes(SLOT, 89))).toMatchObject({ kind: "waiting" });
    expect(await tick(minutes(SLOT, 90))).toMatchObject({ kind: "started", nightKey: "2026-12-03", backfilled: false });
    expect((await nightlyBatches())[0]?.scheduledFor).toEqual(minutes(SLOT, 90));
  });

  it("to a time already over that night does not start a late batch; nor does a second change after the night's batch", async () => {
    // At 2:00 AM, before any tick saw the 1:30 slot (say the workers were down), the start moves to 1:45.
    await saveSchedule(database.db, { schedule: { ...DEFAULT_SCHEDULE, time: "01:45" }, actor: "ada", now: minutes(SLOT, 30) });
    expect(await tick(minutes(SLOT, 31))).toMatchObject({ kind: "waiting" });
    expect(await nightlyBatches()).toHaveLength(0);

    // Next night: the batch starts at 1:45, then a change to 4:00 that same night starts no second one.
    const nextNight = minutes(SLOT, 24 * 60 + 15);
    expect(await tick(nextNight)).toMatchObject({ kind: "started", nightKey: "2026-12-04" });
    await saveSchedule(database.db, { schedule: { ...DEFAULT_SCHEDULE, time: "04:00" }, actor: "ada", now: minutes(nextNight, 10) });
    expect(await tick(minutes(nextNight, 140))).toMatchObject({ kind: "night_exists", nightKey: "2026-12-04" });
    expect(await nightlyBatches()).toHaveLength(1);
  });

  it("pauses the schedule at the next tick, and is audited with before and after", async () => {
    await saveSchedule(database.db, { schedule: { ...DEFAULT_SCHEDULE, enabled: false }, actor: "ada", now: minutes(SLOT, -5) });
    expect(await tick(SLOT)).toEqual({ kind: "paused" });
    expect(await tick(minutes(SLOT, 60))).toEqual({ kind: "paused" });
    expect(await nightlyBatches()).toHaveLength(0);
    const audit = await database.db.select().from(auditLog);
    expect(audit).toEqual([
      expect.objectContaining({ actor: "ada", action: "schedule.update", details: { before: DEFAULT_SCHEDULE, after: { ...DEFAULT_SCHEDULE, enabled: false } } }),
    ]);
    expect(await getSchedule(database.db)).toMatchObject({ updatedBy: "ada", updatedAt: minutes(SLOT, -5) });
  });

  it("to another zone keys the night in that zone", async () => {
    // 02:30 Berlin (CET, UTC+1) on Dec 3 = 01:30Z.
    await saveSchedule(database.db, { schedule: { enabled: true, time: "02:30", timeZone: "Europe/Berlin", deadline: "06:00" }, actor: "ada", now: INSTALL });
    expect(await tick(new Date("2026-12-03T01:30:00Z"))).toMatchObject({ kind: "started", nightKey: "2026-12-03" });
    expect((await nightlyBatches())[0]).toMatchObject({ scheduledFor: new Date("2026-12-03T01:30:00Z"), deadline: new Date("2026-12-03T05:00:00Z") });
  });
});
