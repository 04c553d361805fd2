/**
 * Cumulative attempt figures (counts by portal × status × error class, and the duration histogram
 * per portal) computed from the attempts table at scrape time, kept cheap by folding settled rows
 * into a per-process running total: an attempt that started more than `SETTLE_AFTER_MS` ago is
 * finished for good (ATTEMPT_TIMEOUT_SECONDS is at most an hour), so each scrape reads only the
 * attempts started since the last settled watermark (a range scan on attempts_started_at_idx)
 * plus the still-settling last two hours. The first scrape of a process reads the table once.
 * The totals only grow (Prometheus counters), whichever web process serves the scrape.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";

/** Upper bounds (seconds) of the attempt duration histogram: a form fill takes seconds, a slow portal minutes, the hard stop is ATTEMPT_TIMEOUT_SECONDS (default 180). */
export const ATTEMPT_DURATION_BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 180, 300, 600] as const;

/** Attempts that started longer ago than this have finished (or never will, e.g. a lost row). */
export const SETTLE_AFTER_MS = 2 * 3_600_000;

export interface AttemptCount {
  oemId: string;
  status: string;
  errorClass: string | null;
  count: number;
}

export interface DurationHistogram {
  oemId: string;
  /** Cumulative counts per bucket of ATTEMPT_DURATION_BUCKETS (`le`), then +Inf (= count). */
  buckets: number[];
  sum: number;
  count: number;
}

export interface AttemptTotals {
  counts: AttemptCount[];
  durations: DurationHistogram[];
}

interface Aggregate {
  counts: Map<string, AttemptCount>;
  durations: Map<string, DurationHistogram>;
}

/** The settled part of the totals, per database (one process may scrape several in tests). */
export interface AttemptTotalsCache {
  /** Attempts with started_at < watermark are folded in. */
  watermark: Date | null;
  settled: Aggregate;
}

export function emptyAttemptTotalsCache(): AttemptTotalsCache {
  return { watermark: null, settled: { counts: new Map(), durations: new Map() } };
}

type Row = {
  oem_id: string;
  status: string;
  error_class: string | null;
  n: number;
  duration_sum: number | null;
  buckets: number[] | null;
};

/** Grouped figures of the finished attempts started in [from, to) (from null: since the beginning). */
async function readRange(db: Database, from: Date | null, to: Date | null): Promise<Row[]> {
  const bucketColumns = sql.join(
    ATTEMPT_DURATION_BUCKETS.map((le) => sql`(count(*) filter (where a.finished_at is not null and extract(epoch from a.finished_at - a.started_at) <= ${le}))::int`),
    sql`, `,
  );
  const rows = await db.execute<Row>(sql`
    select c.oem_id, a.status, a.error_class, count(*)::int as n,
           (sum(extract(epoch from a.finished_at - a.started_at)) filter (where a.finished_at is not null))::float8 as duration_sum,
           jsonb_build_array(${bucketColumns}) as buckets
    from attempts a
    join runs r on r.id = a.run_id
    join cases c on c.id = r.case_id
    where a.finished_at is not null
      ${from ? sql`and a.started_at >= ${from.toISOString()}::timestamptz` : sql``}
      ${to ? sql`and a.started_at < ${to.toISOString()}::timestamptz` : sql``}
    group by c.oem_id, a.status, a.error_class`);
  return [...rows];
}

function fold(into: Aggregate, rows: readonly Row[]): void {
  for (const row of rows) {
    const key = `${row.oem_id}\u0000${row.status}\u0000${row.error_class ?? ""}`;
    const count = into.counts.get(key) ?? { oemId: row.oem_id, status: row.status, errorClass: row.error_class, count: 0 };
    count.count += Number(row.n);
    into.counts.set(key, count);
    const histogram = into.durations.get(row.oem_id) ?? { oemId: row.oem_id, buckets: ATTEMPT_DURATION_BUCKETS.map(() => 0).concat(0), sum: 0, count: 0 };
    const buckets = (row.buckets ?? []).map(Number);
    ATTEMPT_DURATION_BUCKETS.forEach((_, i) => {
      histogram.buckets[i]! += buckets[i] ?? 0;
    });
    histogram.buckets[ATTEMPT_DURATION_BUCKETS.length]! += Number(row.n);
    histogram.count += Number(row.n);
    histogram.sum += Number(row.duration_sum ?? 0);
    into.durations.set(row.oem_id, histogram);
  }
}

function copy(aggregate: Aggregate): Aggregate {
  return {
    counts: new Map([...aggregate.counts].map(([k, v]) => [k, { ...v }])),
    durations: new Map([...aggregate.durations].map(([k, v]) => [k, { ...v, buckets: [...v.buckets] }])),
  };
}

/** The cumulative totals now: the cache's settled part (advanced to now − SETTLE_AFTER_MS) plus the settling window. */
export async function readAttemptTotals(db: Database, cache: AttemptTotalsCache, params: { now?: Date } = {}): Promise<AttemptTotals> {
  const now = params.now ?? new Date();
  const settleBefore = new Date(now.getTime() - SETTLE_AFTER_MS);
  if (!cache.watermark || cache.watermark < settleBefore) {
    const rows = await readRange(db, cache.watermark, settleBefore);
    fold(cache.settled, rows);
    cache.watermark = settleBefore;
  }
  const total = copy(cache.settled);
  fold(total, await readRange(db, cache.watermark, null));
  const byName = <T extends { oemId: string }>(a: T, b: T) => a.oemId.localeCompare(b.oemId);
  return { counts: [...total.counts.values()].sort(byName), durations: [...total.durations.values()].sort(byName) };
}
