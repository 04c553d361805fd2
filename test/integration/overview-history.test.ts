import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as HistoryRoute from "@/app/api/overview/history/route";
import { batches } from "@/drizzle/schema";
import { getSharedDatabase } from "@/lib/db/shared";
import type { RunStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { getNightHistory } from "@/lib/overview/get-night-history";
import { getOverview } from "@/lib/overview/get-overview";
import { oemSeries } from "@/lib/overview/night-figures";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { actorHeaders } from "@/test/support/actor-headers";

// 2 PM in Chicago on Wed 2 Dec 2026 (CST, UTC−6): last night's 1:30 AM batch is over; tonight's has not started.
const NOW = new Date("2026-12-02T20:00:00.000Z");

let database: TestDatabase;
let route: typeof HistoryRoute;
let lastNightId: string;
let prefix = 0;

/** A nightly batch for a local night: 1:30 AM Chicago slot, 7:00 AM deadline. */
async function insertNight(nightKey: string, metSla: boolean | null, options: { status?: "finished" | "running"; finishedAt?: Date | null } = {}): Promise<string> {
  const [y, m, d] = nightKey.split("-").map(Number);
  const slot = new Date(Date.UTC(y!, m! - 1, d, 7, 30));
  const [row] = await database.db
    .insert(batches)
    .values({
      trigger: "cron",
      nightKey,
      status: options.status ?? "finished",
      metSla,
      scheduledFor: slot,
      deadline: new Date(slot.getTime() + 5.5 * 3_600_000),
      startedAt: slot,
      finishedAt: options.finishedAt === undefined ? new Date(slot.getTime() + 3 * 3_600_000) : options.finishedAt,
      createdAt: slot,
      createdBy: "schedule",
    })
    .returning({ id: batches.id });
  return row!.id;
}

/** `n` cases of an OEM with one run each in the batch, ending in `status` at `finishedAt`. */
async function insertRuns(batchId: string, oemId: string, status: RunStatus, n: number, finishedAt: Date | null) {
  prefix += 1;
  const p = `${prefix}-`;
  await database.db.execute(sql`
    with c as (
      insert into cases (crm_id, reference, oem_id, kind, crm_status, status)
      select 'CRM-' || ${p} || g, 'NS-' || ${p} || g, ${oemId}, 'warranty_claim', 'new', 'submitted' from generate_series(1, ${n}::int) g
      returning id
    )
    insert into runs (case_id, batch_id, status, finished_at) select id, ${batchId}::uuid, ${status}, ${finishedAt?.toISOString() ?? null}::timestamptz from c`);
}

let signedIn: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  // Last night (2 Dec): settled at 5:42 AM Chicago, 212 of 220 submitted, 3 rejected by the portal, 5 parked.
  lastNightId = await insertNight("2026-12-02", true, { finishedAt: new Date("2026-12-02T11:42:00.000Z") });
  const settled = new Date("2026-12-02T11:30:00.000Z");
  await insertRuns(lastNightId, "arden", "submitted", 150, settled);
  await insertRuns(lastNightId, "arden", "needs_review", 3, settled);
  await insertRuns(lastNightId, "borealis", "submitted", 62, settled);
  await insertRuns(lastNightId, "borealis", "parked", 5, settled);
  // 1 Dec met; 30 Nov missed (2 failed); 29 Nov no batch; 28 Nov met; 20 Nov missed.
  const dec1 = await insertNight("2026-12-01", true);
  await insertRuns(dec1, "arden", "submitted", 10, new Date("2026-12-01T10:00:00.000Z"));
  const nov30 = await insertNight("2026-11-30", false);
  await insertRuns(nov30, "arden", "submitted", 8, new Date("2026-11-30T10:00:00.000Z"));
  await insertRuns(nov30, "arden", "failed", 2, new Date("2026-11-30T10:00:00.000Z"));
  const nov28 = await insertNight("2026-11-28", true);
  await insertRuns(nov28, "corvid", "submitted", 4, new Date("2026-11-28T10:00:00.000Z"));
  await insertNight("2026-11-20", false);
  // A Run now batch this afternoon, newer than last night's.
  await database.db.insert(batches).values({ trigger: "manual", status: "finished", createdAt: new Date("2026-12-02T19:00:00.000Z"), startedAt: new Date("2026-12-02T19:00:00.000Z") });

  process.env.DATABASE_URL = database.url;
  route = await import("@/app/api/overview/history/route");
  signedIn = await actorHeaders("viewer");
});

afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

describe("getNightHistory", () => {
  it("lays the nights on a calendar axis ending last night, with each night's submitted and terminal fails", async () => {
    const history = await getNightHistory(database.db, { nights: 14, now: NOW });
    expect(history.timeZone).toBe("America/Chicago");
    expect(history.nights).toHaveLength(14);
    expect(history.nights.map((n) => n.nightKey).slice(-5)).toEqual(["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]);
    const byKey = new Map(history.nights.map((n) => [n.nightKey, n]));
    expect(byKey.get("2026-12-02")).toMatchObject({ batchId: lastNightId, metSla: true, total: 220, submitted: 212, terminalFails: 8, needsReview: 3, parked: 5, failed: 0 });
    expect(byKey.get("2026-11-30")).toMatchObject({ metSla: false, submitted: 8, terminalFails: 2, failed: 2, successRate: 0.8 });
    expect(byKey.get("2026-11-29")).toMatchObject({ batchId: null, total: 0, successRate: null });
    expect(byKey.get("2026-11-20")).toMatchObject({ metSla: false, total: 0 });
  });

  it("gives each OEM its per-night success rate for the sparkline", async () => {
    const history = await getNightHistory(database.db, { nights: 5, now: NOW });
    const arden = oemSeries(history.nights, "arden");
    expect(arden.slice(0, 4)).toEqual([null, null, 0.8, 1]);
    expect(arden[4]).toBeCloseTo(150 / 153, 10);
    expect(oemSeries(history.nights, "borealis")[4]).toBeCloseTo(62 / 67, 10);
    expect(oemSeries(history.nights, "corvid")).toEqual([1, null, null, null, null]);
    expect(history.oems.map((o) => o.id)).toEqual(["arden", "borealis", "corvid"]);
  });

  it("counts the done-by-morning streak back to the last miss, and tells tonight's schedule in words", async () => {
    const history = await getNightHistory(database.db, { now: NOW });
    expect(history.nights).toHaveLength(30);
    expect(history.streak).toEqual({ nights: 2, sinceNightKey: "2026-12-01", lastMissNightKey: "2026-11-30", tonightPending: false });
    expect(history.tonight).toMatchObject({ sentence: "Tonight at 1:30 AM Central · done by 7:00 AM", running: false, nextSlot: new Date("2026-12-03T07:30:00.000Z") });
  });
});

describe("getOverview", () => {
  it("tells last night in words in the schedule's zone, beside a newer Run now batch", async () => {
    const overview = await getOverview(database.db, { now: NOW });
    expect(overview.timeZone).toBe("America/Chicago");
    expect(overview.latestBatch).toMatchObject({ trigger: "manual", nightKey: null });
    expect(overview.lastNight).toMatchObject({ id: lastNightId, nightKey: "2026-12-02", totalRuns: 220, morning: { verdict: "done" } });
    expect(overview.lastNight!.words.sentence).toBe("Done by 5:42 AM — 212 of 220 submitted · 3 need data fixes · 5 with engineering");
  });
});

describe("GET /api/overview/history", () => {
  const get = (search: string) => route.GET(new Request(`http://127.0.0.1:3000/api/overview/history${search}`, { headers: signedIn }), {});

  it("answers 30 nights by default and the number asked for", async () => {
    const response = await get("");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { nights: unknown[] }).nights).toHaveLength(30);
    expect((((await (await get("?nights=14")).json()) as { nights: unknown[] }).nights)).toHaveLength(14);
  });

  it("refuses a number of nights it cannot show with a 400 that says why", async () => {
    for (const [search, message] of [
      ["?nights=3", "At least 7 nights"],
      ["?nights=365", "At most 90 nights"],
      ["?nights=lots", "Nights must be a number"],
    ] as const) {
      const response = await get(search);
      expect(response.status, search).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("bad_request");
      expect(error.message).toContain(message);
    }
  });
});
