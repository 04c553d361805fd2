/**
 * A batch's live progress: run counts (overall and per OEM), throughput over a sliding window,
 * the projected finish and whether it is at risk of missing its deadline. The arithmetic is pure
 * (`measureThroughput`, `projectFinish`) so it is unit-tested on a fixed clock; `getBatchProgress`
 * reads it with one grouped query over the batch's runs (indexed by batch id; 10,000 runs is fine).
 */
import { eq, sql } from "drizzle-orm";
import { batches, cases, oems, runs } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES, TERMINAL_FAIL_STATUSES, isOneOf, type BatchStatus, type RunStatus } from "../domain/vocabulary";

/** Throughput counts the runs that finished in the last this many minutes. */
export const THROUGHPUT_WINDOW_MINUTES = 10;

/** Run counts by run status; a status without runs is absent. */
export type RunCounts = Partial<Record<RunStatus, number>>;

export interface Throughput {
  /** Runs finished per minute; null before the first finish. */
  perMinute: number | null;
  /**
   * `window`: runs finished in the last `windowMinutes`. `batch`: the whole batch's average (it is
   * younger than the window, or nothing finished inside the window, e.g. only retries are left).
   * `none`: nothing has finished yet.
   */
  basis: "window" | "batch" | "none";
  windowMinutes: number;
  /** Runs finished inside the window. */
  finishedInWindow: number;
}

export interface ThroughputInput {
  now: Date;
  startedAt: Date | null;
  /** Runs of the batch that finished (cancelled ones excluded). */
  finishedTotal: number;
  finishedInWindow: number;
  windowMinutes?: number;
}

const MINUTE_MS = 60_000;

/** Runs per minute: over the sliding window, or over the whole batch while it is younger than the window. */
export function measureThroughput(input: ThroughputInput): Throughput {
  const windowMinutes = input.windowMinutes ?? THROUGHPUT_WINDOW_MINUTES;
  const base = { windowMinutes, finishedInWindow: input.finishedInWindow };
  if (input.finishedTotal <= 0) return { ...base, perMinute: null, basis: "none" };
  // At least a second of age, so a batch whose first run finished at its start has a finite rate.
  const ageMinutes = input.startedAt ? Math.max(input.now.getTime() - input.startedAt.getTime(), 1_000) / MINUTE_MS : null;
  if (ageMinutes !== null && ageMinutes < windowMinutes) return { ...base, perMinute: input.finishedTotal / ageMinutes, basis: "batch" };
  if (input.finishedInWindow > 0) return { ...base, perMinute: input.finishedInWindow / windowMinutes, basis: "window" };
  // Nothing finished inside the window (a stall, or only retries waiting out their backoff): the
  // whole batch's average, which keeps falling while the stall lasts.
  if (ageMinutes !== null) return { ...base, perMinute: input.finishedTotal / ageMinutes, basis: "batch" };
  return { ...base, perMinute: 0, basis: "window" };
}

export interface ProjectionInput {
  now: Date;
  /** Open runs (queued, running, waiting for a retry). */
  remaining: number;
  perMinute: number | null;
  deadline: Date | null;
}

export interface Projection {
  /** now + remaining / throughput; null when nothing is left or nothing has finished yet. */
  projectedFinish: Date | null;
  /** Runs are open and the projection passes the deadline (or the deadline has already passed). */
  atRisk: boolean;
  /** How far past the deadline the projection lands (ms, > 0 when at risk); null without both. */
  lateByMs: number | null;
}

/** The projected finish and the at-risk flag, as soon as the projection passes the deadline. */
export function projectFinish(input: ProjectionInput): Projection {
  if (input.remaining <= 0) return { projectedFinish: null, atRisk: false, lateByMs: null };
  const deadlinePassed = input.deadline !== null && input.now.getTime() >= input.deadline.getTime();
  if (input.perMinute === null) return { projectedFinish: null, atRisk: deadlinePassed, lateByMs: null };
  const projectedFinish =
    input.perMinute > 0 ? new Date(input.now.getTime() + Math.ceil((input.remaining / input.perMinute) * MINUTE_MS)) : null;
  if (input.deadline === null) return { projectedFinish, atRisk: false, lateByMs: null };
  if (projectedFinish === null) return { projectedFinish, atRisk: true, lateByMs: null };
  const lateByMs = projectedFinish.getTime() - input.deadline.getTime();
  return { projectedFinish, atRisk: deadlinePassed || lateByMs > 0, lateByMs };
}

export interface OemProgress {
  oemId: string;
  label: string;
  color: string;
  monogram: string;
  counts: RunCounts;
  total: number;
  open: number;
  submitted: number;
  terminalFails: number;
}

export interface BatchProgress {
  batchId: string;
  status: BatchStatus;
  deadline: Date | null;
  counts: RunCounts;
  total: number;
  /** Open runs: queued, running or waiting for a retry. */
  remaining: number;
  submitted: number;
  rehearsed: number;
  terminalFails: number;
  cancelled: number;
  oems: OemProgress[];
  throughput: Throughput;
  projectedFinish: Date | null;
  atRisk: boolean;
  lateByMs: number | null;
  lastFinishedAt: Date | null;
}

export interface ProgressRow {
  oemId: string;
  status: RunStatus;
  count: number;
  finishedInWindow: number;
  lastFinishedAt: Date | null;
}

/** Folds the grouped rows (OEM × status) into the batch's progress. Pure. */
export function summariseProgress(
  batch: { id: string; status: BatchStatus; deadline: Date | null; startedAt: Date | null },
  rows: readonly ProgressRow[],
  oemMeta: ReadonlyMap<string, { label: string; color: string; monogram: string }>,
  options: { now: Date; windowMinutes?: number },
): BatchProgress {
  const counts: RunCounts = {};
  const perOem = new Map<string, OemProgress>();
  let finishedTotal = 0;
  let finishedInWindow = 0;
  let lastFinishedAt: Date | null = null;
  for (const row of rows) {
    counts[row.status] = (counts[row.status] ?? 0) + row.count;
    const meta = oemMeta.get(row.oemId) ?? { label: row.oemId, color: "gray", monogram: row.oemId.slice(0, 2).toUpperCase() };
    let oem = perOem.get(row.oemId);
    if (!oem) {
      oem = { oemId: row.oemId, ...meta, counts: {}, total: 0, open: 0, submitted: 0, terminalFails: 0 };
      perOem.set(row.oemId, oem);
    }
    oem.counts[row.status] = (oem.counts[row.status] ?? 0) + row.count;
    oem.total += row.count;
    if (isOneOf(OPEN_RUN_STATUSES, row.status)) oem.open += row.count;
    if (row.status === "submitted") oem.submitted += row.count;
    if (isOneOf(TERMINAL_FAIL_STATUSES, row.status)) oem.terminalFails += row.count;
    if (!isOneOf(OPEN_RUN_STATUSES, row.status) && row.status !== "cancelled") {
      finishedTotal += row.count;
      finishedInWindow += row.finishedInWindow;
    }
    if (row.lastFinishedAt && (!lastFinishedAt || row.lastFinishedAt > lastFinishedAt)) lastFinishedAt = row.lastFinishedAt;
  }
  const sumOf = (statuses: readonly RunStatus[]) => statuses.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const remaining = sumOf(OPEN_RUN_STATUSES);
  const throughput = measureThroughput({ now: options.now, startedAt: batch.startedAt, finishedTotal, finishedInWindow, windowMinutes: options.windowMinutes });
  // A finished or cancelled batch has nothing left to project.
  const live = batch.status === "running" || batch.status === "planned";
  const projection = live ? projectFinish({ now: options.now, remaining, perMinute: throughput.perMinute, deadline: batch.deadline }) : { projectedFinish: null, atRisk: false, lateByMs: null };
  return {
    batchId: batch.id,
    status: batch.status,
    deadline: batch.deadline,
    counts,
    total: rows.reduce((n, r) => n + r.count, 0),
    remaining,
    submitted: counts.submitted ?? 0,
    rehearsed: counts.rehearsed ?? 0,
    terminalFails: sumOf(TERMINAL_FAIL_STATUSES),
    cancelled: counts.cancelled ?? 0,
    oems: [...perOem.values()].sort((a, b) => a.label.localeCompare(b.label)),
    throughput,
    ...projection,
    lastFinishedAt,
  };
}

export interface GetBatchProgressParams {
  batchId: string;
  now?: Date;
  windowMinutes?: number;
}

/** A batch's live progress, or null for an unknown batch. */
export async function getBatchProgress(db: Db, params: GetBatchProgressParams): Promise<BatchProgress | null> {
  const [batch] = await db
    .select({ id: batches.id, status: batches.status, deadline: batches.deadline, startedAt: batches.startedAt })
    .from(batches)
    .where(eq(batches.id, params.batchId));
  if (!batch) return null;
  return readProgress(db, batch, params);
}

/** The progress of a batch row the caller already read. */
export async function readProgress(
  db: Db,
  batch: { id: string; status: BatchStatus; deadline: Date | null; startedAt: Date | null },
  params: { now?: Date; windowMinutes?: number },
): Promise<BatchProgress> {
  const now = params.now ?? new Date();
  const windowStart = new Date(now.getTime() - (params.windowMinutes ?? THROUGHPUT_WINDOW_MINUTES) * MINUTE_MS).toISOString();
  const [rows, oemRows] = await Promise.all([
    db
      .select({
        oemId: cases.oemId,
        status: runs.status,
        count: sql<number>`count(*)::int`,
        finishedInWindow: sql<number>`(count(*) filter (where ${runs.finishedAt} > ${windowStart}::timestamptz and ${runs.finishedAt} <= ${now.toISOString()}::timestamptz))::int`,
        lastFinishedAt: sql<string | null>`max(${runs.finishedAt})`,
      })
      .from(runs)
      .innerJoin(cases, eq(cases.id, runs.caseId))
      .where(eq(runs.batchId, batch.id))
      .groupBy(cases.oemId, runs.status),
    db.select({ id: oems.id, label: oems.label, color: oems.color, monogram: oems.monogram }).from(oems),
  ]);
  const meta = new Map(oemRows.map((o) => [o.id, o]));
  return summariseProgress(
    batch,
    rows.map((r) => ({ ...r, lastFinishedAt: r.lastFinishedAt ? new Date(r.lastFinishedAt) : null })),
    meta,
    { now, windowMinutes: params.windowMinutes },
  );
}
