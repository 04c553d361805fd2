import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, batches, cases, outbox, portalSessions, runs, workerHeartbeats } from "@/drizzle/schema";
import { getSharedDatabase } from "@/lib/db/shared";
import { syncOems } from "@/lib/oems/catalog";
import { actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";

const TOKEN = "metrics-test-token-0123456789";
const PROMTOOL = "/usr/bin/promtool";

let database: TestDatabase;
let GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

beforeAll(async () => {
  database = await createTestDatabase();
  // The handler reads its database and token from the web process's environment, as under `npm start`.
  process.env.DATABASE_URL = database.url;
  process.env.METRICS_TOKEN = TOKEN;
  process.env.LOG_LEVEL = "silent";
  ({ GET } = (await import("@/app/api/metrics/route")) as unknown as { GET: typeof GET });
  await syncOems(database.db, { portalUrls: {} });
});
afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  return GET(new Request("http://127.0.0.1:3000/api/metrics", { headers }), { params: Promise.resolve({}) });
}

/** `name{labels} value` lines of the exposition, by series (labels sorted as printed). */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

async function seed() {
  const [batch] = await database.db
    .insert(batches)
    .values({ trigger: "manual", status: "running", startedAt: ago(600), deadline: new Date(Date.now() + 3_600_000), caseCount: 4 })
    .returning({ id: batches.id });
  const newCase = async (oemId: string, n: number) =>
    (await database.db.insert(cases).values({ crmId: `crm-m-${oemId}-${n}`, reference: `NS-M-${oemId}-${n}`, oemId, kind: "warranty_claim", crmStatus: "open" }).returning({ id: cases.id }))[0]!.id;
  const a1 = await newCase("arden", 1);
  const a2 = await newCase("arden", 2);
  const b1 = await newCase("borealis", 1);
  const b2 = await newCase("borealis", 2);
  const run = async (caseId: string, status: "submitted" | "failed" | "queued" | "running", finishedAgo: number | null) =>
    (await database.db.insert(runs).values({ caseId, batchId: batch!.id, status, finishedAt: finishedAgo === null ? null : ago(finishedAgo) }).returning({ id: runs.id }))[0]!.id;
  const r1 = await run(a1, "submitted", 120);
  const r2 = await run(a2, "failed", 60);
  const r3 = await run(b1, "running", null);
  await run(b2, "queued", null);
  // Arden: a 3 s success, a 15 s site flake, a 45 s site flake; borealis: one still running, one settled 3 h ago (90 s, infra).
  await database.db.insert(attempts).values([
    { runId: r1, number: 1, status: "succeeded", startedAt: ago(300), finishedAt: ago(297) },
    { runId: r2, number: 1, status: "failed", errorClass: "site_flake", errorCode: "nav_timeout", startedAt: ago(200), finishedAt: ago(185) },
    { runId: r2, number: 2, status: "failed", errorClass: "site_flake", errorCode: "nav_timeout", startedAt: ago(100), finishedAt: ago(55) },
    { runId: r3, number: 1, status: "failed", errorClass: "infra", errorCode: "browser_crashed", startedAt: ago(3 * 3600), finishedAt: ago(3 * 3600 - 90) },
    { runId: r3, number: 2, status: "running", startedAt: ago(5) },
  ]);
  await database.db.insert(outbox).values([
    { caseId: a1, runId: r1, kind: "status", idempotencyKey: "m-1", payload: { status: "submitted" } as never, status: "pending", createdAt: ago(42) },
    { caseId: a2, runId: r2, kind: "status", idempotencyKey: "m-2", payload: { status: "failed" } as never, status: "delivered", createdAt: ago(500) },
  ]);
  await database.db.insert(workerHeartbeats).values([
    { id: "w-live", host: "h", pid: 1, concurrency: 3 },
    { id: "w-dead", host: "h", pid: 2, concurrency: 2, lastSeenAt: ago(600) },
  ]);
  await database.db.insert(portalSessions).values([
    { oemId: "borealis", slot: 0, workerId: "w-live", runId: r3 },
    { oemId: "arden", slot: 0, workerId: "w-live", runId: null },
  ]);
  // Jobs: two ready, one scheduled, one locked, one out of attempts.
  await database.db.execute(sql`select graphile_worker.add_job('submit_case', '{}'::json)`);
  await database.db.execute(sql`select graphile_worker.add_job('submit_case', '{}'::json)`);
  await database.db.execute(sql`select graphile_worker.add_job('submit_case', '{}'::json, run_at := now() + interval '1 hour')`);
  const [locked] = await database.db.execute<{ id: string }>(sql`select id from graphile_worker.add_job('deliver_crm_update', '{}'::json)`);
  await database.db.execute(sql`update graphile_worker._private_jobs set locked_by = 'pool-x', locked_at = now() where id = ${locked!.id}`);
  const [failed] = await database.db.execute<{ id: string }>(sql`select id from graphile_worker.add_job('sync_crm', '{}'::json, max_attempts := 1)`);
  await database.db.execute(sql`update graphile_worker._private_jobs set attempts = 1 where id = ${failed!.id}`);
  return { batchId: batch!.id };
}

describe("GET /api/metrics", () => {
  it("reports queue depth, runs, attempts by class, durations per portal, CRM lag, batch progress and workers from the database", async () => {
    const { batchId } = await seed();
    const response = await scrape();
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const m = parse(text);

    expect(m.get('nightshift_queue_jobs{task="submit_case",state="ready"}')).toBe(2);
    expect(m.get('nightshift_queue_jobs{task="submit_case",state="scheduled"}')).toBe(1);
    expect(m.get('nightshift_queue_jobs{task="deliver_crm_update",state="locked"}')).toBe(1);
    expect(m.get('nightshift_queue_jobs{task="sync_crm",state="failed"}')).toBe(1);

    expect(m.get('nightshift_runs{status="submitted"}')).toBe(1);
    expect(m.get('nightshift_runs{status="failed"}')).toBe(1);
    expect(m.get('nightshift_runs{status="running"}')).toBe(1);
    expect(m.get('nightshift_runs{status="queued"}')).toBe(1);

    expect(m.get('nightshift_attempts_total{oem="arden",status="succeeded",error_class="none"}')).toBe(1);
    expect(m.get('nightshift_attempts_total{oem="arden",status="failed",error_class="site_flake"}')).toBe(2);
    expect(m.get('nightshift_attempts_total{oem="borealis",status="failed",error_class="infra"}')).toBe(1);
    // The running attempt is not finished: in no count.
    expect([...m.keys()].filter((k) => k.startsWith("nightshift_attempts_total") && k.includes('status="running"'))).toEqual([]);

    // Arden 3 s, 15 s, 45 s: cumulative buckets.
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="arden",le="2"}')).toBe(0);
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="arden",le="5"}')).toBe(1);
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="arden",le="20"}')).toBe(2);
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="arden",le="60"}')).toBe(3);
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="arden",le="+Inf"}')).toBe(3);
    expect(m.get('nightshift_attempt_duration_seconds_count{oem="arden"}')).toBe(3);
    expect(m.get('nightshift_attempt_duration_seconds_sum{oem="arden"}')).toBeCloseTo(63, 3);
    // Borealis' 90 s attempt settled hours ago (folded into the running totals).
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="borealis",le="60"}')).toBe(0);
    expect(m.get('nightshift_attempt_duration_seconds_bucket{oem="borealis",le="120"}')).toBe(1);

    expect(m.get('nightshift_crm_outbox_entries{status="pending"}')).toBe(1);
    expect(m.get("nightshift_crm_delivery_lag_seconds")).toBeGreaterThanOrEqual(42);
    expect(m.get("nightshift_crm_delivery_lag_seconds")).toBeLessThan(60);

    expect(m.get('nightshift_portal_sessions{oem="borealis",state="busy"}')).toBe(1);
    expect(m.get('nightshift_portal_sessions{oem="arden",state="idle"}')).toBe(1);
    expect(m.get("nightshift_workers_alive")).toBe(1);
    expect(m.get("nightshift_worker_job_slots")).toBe(3);

    expect(m.get(`nightshift_current_batch_info{batch_id="${batchId}",trigger="manual",status="running"}`)).toBe(1);
    expect(m.get(`nightshift_current_batch_runs{batch_id="${batchId}",status="submitted"}`)).toBe(1);
    expect(m.get(`nightshift_current_batch_remaining_runs{batch_id="${batchId}"}`)).toBe(2);
    expect(m.get(`nightshift_current_batch_progress_ratio{batch_id="${batchId}"}`)).toBe(0.5);
    // Two finished in 10 minutes → 2 remaining take ≈ 10 more minutes.
    const projected = m.get(`nightshift_current_batch_projected_finish_timestamp_seconds{batch_id="${batchId}"}`)!;
    expect(projected - Date.now() / 1000).toBeGreaterThan(500);
    expect(projected - Date.now() / 1000).toBeLessThan(700);
    expect(m.get(`nightshift_current_batch_at_risk{batch_id="${batchId}"}`)).toBe(0);

    // Every metric has help and a type.
    for (const name of new Set([...m.keys()].map((k) => k.replace(/\{.*$/, "").replace(/_(bucket|sum|count)$/, "")))) {
      expect(text, name).toMatch(new RegExp(`# HELP ${name} \\S`));
      expect(text, name).toMatch(new RegExp(`# TYPE ${name} (gauge|counter|histogram)`));
    }

    if (!existsSync(PROMTOOL)) {
      console.warn(`promtool check skipped: ${PROMTOOL} is missing (apt-get install prometheus; CI installs it).`);
      return;
    }
    const checked = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe("");
    expect(checked.status).toBe(0);
  });

  it("keeps counting as attempts finish and settle, without counting any twice", async () => {
    const before = parse(await (await scrape()).text());
    const [row] = await database.db.select({ id: runs.id }).from(runs).where(sql`status = 'running'`);
    await database.db.update(attempts).set({ status: "succeeded", finishedAt: new Date() }).where(sql`run_id = ${row!.id} and number = 2`);
    const after = parse(await (await scrape()).text());
    const again = parse(await (await scrape()).text());
    expect(after.get('nightshift_attempt_duration_seconds_count{oem="borealis"}')).toBe(before.get('nightshift_attempt_duration_seconds_count{oem="borealis"}')! + 1);
    expect(after.get('nightshift_attempts_total{oem="borealis",status="succeeded",error_class="none"}')).toBe(1);
    const attemptSeries = (m: Map<string, number>) => [...m].filter(([k]) => k.startsWith("nightshift_attempt"));
    expect(attemptSeries(again)).toEqual(attemptSeries(after));
  });

  it("refuses a missing or wrong bearer token with 401, and a session cookie does not replace it", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: TOKEN }, { authorization: `Bearer ${TOKEN}x` }, await actorHeaders("admin")]) {
      const response = await scrape(headers);
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/metrics bearer token/);
    }
  });
});
