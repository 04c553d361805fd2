import { availableParallelism, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncOems } from "@/lib/oems/catalog";
import { getNightHistory } from "@/lib/overview/get-night-history";
import { getOverview } from "@/lib/overview/get-overview";
import { getPortalStats } from "@/lib/portals/portal-stats";
import { createTestDatabase, type TestDatabase } from "../support/database";

// The overview and the Portals page at scale: 90 nights × 1,100 runs (99,000 runs, 297,000 attempts:
// three per run, two site flakes then a success, two minutes apart), one nightly batch per night.
// Every figure set must stay under the 200 ms page budget on this 2-core machine (the median of
// seven reads is asserted; the slowest is logged — other processes share the two cores).
const NOW = new Date("2026-12-02T20:00:00.000Z");
const NIGHTS = 90;
const RUNS_PER_NIGHT = 1_100;
// 200 ms on an otherwise idle machine; scaled by how oversubscribed the cores are while it runs
// (other test suites share them), so the assertion measures our queries, not the neighbours.
const BUDGET_MS = 200 * Math.max(1, (loadavg()[0] ?? 0) / availableParallelism());

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await syncOems(db, { portalUrls: {} });
  await db.execute(sql`
    insert into batches (trigger, night_key, status, met_sla, scheduled_for, deadline, started_at, finished_at, created_at, created_by, case_count)
    select 'cron', to_char(date '2026-12-02' - i, 'YYYY-MM-DD'), 'finished', (i % 17 <> 5), s.slot, s.slot + interval '5 hours 30 minutes', s.slot, s.slot + interval '3 hours', s.slot, 'schedule', ${RUNS_PER_NIGHT}
    from generate_series(0, ${NIGHTS - 1}::int) i, lateral (select (timestamp '2026-12-02 07:30' - make_interval(days => i)) at time zone 'UTC' as slot) s`);
  await db.execute(sql`
    insert into cases (crm_id, reference, oem_id, kind, crm_status, status)
    select 'S-' || g, 'NS-S-' || g, (array['arden', 'borealis', 'corvid'])[1 + g % 3], 'warranty_claim', 'new', 'submitted'
    from generate_series(1, ${NIGHTS * RUNS_PER_NIGHT}::int) g`);
  await db.execute(sql`
    insert into runs (case_id, batch_id, status, attempt_count, created_at, started_at, finished_at, error_class, fingerprint, failure)
    select c.id, b.id, st.status, 3, b.scheduled_for, b.scheduled_for, b.scheduled_for + (c.g % ${RUNS_PER_NIGHT}) * interval '10 seconds',
      case when st.status = 'submitted' then null else 'portal_rejected' end,
      case when st.status = 'submitted' then null else 'fp-' || (c.g % 7) end,
      case when st.status = 'submitted' then null else jsonb_build_object('reason', 'The portal refused the data.') end
    from (select id, split_part(crm_id, '-', 2)::int as g from cases where crm_id like 'S-%') c
    join (select id, scheduled_for, (row_number() over (order by night_key desc) - 1)::int as i from batches where night_key is not null) b on b.i = (c.g - 1) / ${RUNS_PER_NIGHT}
    cross join lateral (select case when c.g % 50 = 0 then 'needs_review' when c.g % 97 = 0 then 'parked' when c.g % 211 = 0 then 'failed' else 'submitted' end as status) st`);
  await db.execute(sql`
    insert into attempts (run_id, number, status, error_class, queued_at, started_at, finished_at)
    select r.id, n, case when n < 3 then 'failed' else 'succeeded' end, case when n < 3 then 'site_flake' end,
      r.started_at + (n - 1) * interval '2 minutes', r.started_at + (n - 1) * interval '2 minutes', r.started_at + (n - 1) * interval '2 minutes' + interval '6 seconds'
    from runs r cross join generate_series(1, 3) n`);
  await db.execute(sql`analyze`);
}, 300_000);

afterAll(async () => {
  await database?.destroy();
});

/** Runs `fn` `times` times after one warm-up; the slowest run and the median, in ms. */
async function measure(fn: () => Promise<unknown>, times = 7): Promise<{ median: number; max: number }> {
  await fn();
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    took.push(performance.now() - start);
  }
  took.sort((a, b) => a - b);
  return { median: Math.round(took[Math.floor(times / 2)]!), max: Math.round(took[times - 1]!) };
}

async function explain(query: ReturnType<typeof sql>): Promise<string> {
  const rows = await database.db.execute<{ "QUERY PLAN": string }>(sql`explain (analyze, buffers, timing off, summary on) ${query}`);
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

describe("at 99,000 runs and 297,000 attempts", () => {
  it("has the seed it claims", async () => {
    const [row] = await database.db.execute<{ runs: number; attempts: number; nights: number }>(
      sql`select (select count(*) from runs)::int as runs, (select count(*) from attempts)::int as attempts, (select count(*) from batches where night_key is not null)::int as nights`,
    );
    expect(row).toEqual({ runs: NIGHTS * RUNS_PER_NIGHT, attempts: 3 * NIGHTS * RUNS_PER_NIGHT, nights: NIGHTS });
  });

  it("reads the Portals page's figures within the budget", async () => {
    const stats = await getPortalStats(database.db, { now: NOW });
    // 7 nights fall in the week window (the slots of 26 Nov … 2 Dec at 07:30 UTC are after 25 Nov 20:00): one success per run.
    expect(stats.portals.reduce((sum, p) => sum + p.week.succeeded, 0)).toBe(7 * RUNS_PER_NIGHT);
    const timing = await measure(() => getPortalStats(database.db, { now: NOW }));
    console.log(`getPortalStats: median ${timing.median} ms, max ${timing.max} ms (budget ${Math.round(BUDGET_MS)} ms at load ${loadavg()[0]?.toFixed(1)})`);
    console.log(
      await explain(sql`select c.oem_id, count(*) from attempts a join runs r on r.id = a.run_id join cases c on c.id = r.case_id
        where a.started_at >= ${new Date(NOW.getTime() - 7 * 86_400_000).toISOString()}::timestamptz and a.started_at <= ${NOW.toISOString()}::timestamptz group by c.oem_id`),
    );
    expect(timing.median).toBeLessThan(BUDGET_MS);
  });

  it("reads the nights' history (30 and 90 nights) and the overview within the budget", async () => {
    const history = await getNightHistory(database.db, { nights: 30, now: NOW });
    expect(history.nights.at(-1)).toMatchObject({ nightKey: "2026-12-02", total: RUNS_PER_NIGHT });
    const trend = await measure(() => getNightHistory(database.db, { nights: 30, now: NOW }));
    const quarter = await measure(() => getNightHistory(database.db, { nights: 90, now: NOW }));
    const overview = await measure(() => getOverview(database.db, { now: NOW }));
    console.log(`getNightHistory(30): median ${trend.median} ms, max ${trend.max} ms; (90): median ${quarter.median} ms, max ${quarter.max} ms; getOverview: median ${overview.median} ms, max ${overview.max} ms`);
    console.log(
      await explain(sql`select b.id, r.status, count(r.id) from batches b left join runs r on r.batch_id = b.id
        where b.night_key is not null and b.night_key >= '2026-09-04' and b.night_key <= '2026-12-02' group by b.id, r.status`),
    );
    console.log(
      await explain(sql`select b.id, c.oem_id, r.status, count(*) from batches b join runs r on r.batch_id = b.id join cases c on c.id = r.case_id
        where b.night_key is not null and b.night_key >= '2026-11-19' and b.night_key <= '2026-12-02' group by b.id, c.oem_id, r.status`),
    );
    expect(trend.median).toBeLessThan(BUDGET_MS);
    expect(quarter.median).toBeLessThan(BUDGET_MS);
    expect(overview.median).toBeLessThan(BUDGET_MS);
  });
});
