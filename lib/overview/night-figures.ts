/**
 * The nights an executive looks back on: per nightly batch (one per local night, `night_key`) and
 * per OEM, what was submitted and what ended as a terminal fail; the done-by-morning streak. Pure,
 * so the maths is unit-tested; `get-night-history.ts` feeds it from one grouped query.
 */
import type { BatchStatus, RunStatus } from "../domain/vocabulary";

/** How many nights the trend spans by default, and the per-OEM sparklines. */
export const TREND_NIGHTS = 30;
export const SPARKLINE_NIGHTS = 14;

/** Outcome counts of some runs (a night, or one OEM's share of it). */
export interface NightCounts {
  total: number;
  submitted: number;
  rehearsed: number;
  /** needs_review + parked + failed. */
  terminalFails: number;
  /** The portal refused the data: a person fixes the case in the CRM. */
  needsReview: number;
  /** Site changed or adapter bug: with engineering. */
  parked: number;
  /** Retries exhausted, or credentials refused. */
  failed: number;
  cancelled: number;
  open: number;
  /** Filed (submitted or rehearsed) of the settled outcomes (filed + terminal fails); null when none settled. */
  successRate: number | null;
}

export interface NightFigures extends NightCounts {
  /** "YYYY-MM-DD": the local night in the schedule's zone. */
  nightKey: string;
  /** Null: no nightly batch that night. */
  batchId: string | null;
  batchStatus: BatchStatus | null;
  /** Set with the morning digest; null before it is built (or without a batch). */
  metSla: boolean | null;
  byOem: Record<string, NightCounts>;
}

/** One row of the grouped query: a nightly batch × OEM × run status → count (OEM and status null for a batch without runs). */
export interface NightCountRow {
  batchId: string;
  nightKey: string;
  batchStatus: BatchStatus;
  metSla: boolean | null;
  oemId: string | null;
  runStatus: RunStatus | null;
  count: number;
}

export function emptyCounts(): NightCounts {
  return { total: 0, submitted: 0, rehearsed: 0, terminalFails: 0, needsReview: 0, parked: 0, failed: 0, cancelled: 0, open: 0, successRate: null };
}

function add(counts: NightCounts, status: RunStatus, n: number): void {
  counts.total += n;
  switch (status) {
    case "submitted":
      counts.submitted += n;
      break;
    case "rehearsed":
      counts.rehearsed += n;
      break;
    case "needs_review":
      counts.needsReview += n;
      counts.terminalFails += n;
      break;
    case "parked":
      counts.parked += n;
      counts.terminalFails += n;
      break;
    case "failed":
      counts.failed += n;
      counts.terminalFails += n;
      break;
    case "cancelled":
      counts.cancelled += n;
      break;
    case "queued":
    case "running":
    case "retry_scheduled":
      counts.open += n;
      break;
  }
}

/** Filed of settled outcomes: (submitted + rehearsed) / (that + terminal fails); null when nothing settled. */
export function successRateOf(counts: Pick<NightCounts, "submitted" | "rehearsed" | "terminalFails">): number | null {
  const filed = counts.submitted + counts.rehearsed;
  const settled = filed + counts.terminalFails;
  return settled === 0 ? null : filed / settled;
}

/** The `count` local nights ending at `lastNightKey`, oldest first ("YYYY-MM-DD", calendar days). */
export function nightAxis(lastNightKey: string, count: number): string[] {
  const [y, m, d] = lastNightKey.split("-").map(Number);
  const last = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  return Array.from({ length: count }, (_, i) => new Date(last - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Folds the grouped rows onto the axis: every night of the axis appears, with zeros and no batch
 * when none ran. `rows` give each night's totals (their OEM may be null); `oemRows`, when given,
 * give the per-OEM shares instead (for the nights they cover) — without them each row counts for
 * both.
 */
export function tallyNights(axis: readonly string[], rows: readonly NightCountRow[], oemRows?: readonly NightCountRow[]): NightFigures[] {
  const nights = new Map<string, NightFigures>(axis.map((nightKey) => [nightKey, { nightKey, batchId: null, batchStatus: null, metSla: null, ...emptyCounts(), byOem: {} }]));
  for (const row of rows) {
    const night = nights.get(row.nightKey);
    if (!night) continue;
    night.batchId = row.batchId;
    night.batchStatus = row.batchStatus;
    night.metSla = row.metSla;
    if (row.runStatus === null || row.count === 0) continue;
    add(night, row.runStatus, row.count);
    if (!oemRows && row.oemId !== null) add((night.byOem[row.oemId] ??= emptyCounts()), row.runStatus, row.count);
  }
  for (const row of oemRows ?? []) {
    const night = nights.get(row.nightKey);
    if (!night || row.runStatus === null || row.oemId === null || row.count === 0) continue;
    add((night.byOem[row.oemId] ??= emptyCounts()), row.runStatus, row.count);
  }
  for (const night of nights.values()) {
    night.successRate = successRateOf(night);
    for (const counts of Object.values(night.byOem)) counts.successRate = successRateOf(counts);
  }
  return [...nights.values()];
}

/** One OEM's success rate per night of the axis (null: no batch, or none of its runs settled). */
export function oemSeries(nights: readonly NightFigures[], oemId: string): Array<number | null> {
  return nights.map((night) => night.byOem[oemId]?.successRate ?? null);
}

export interface StreakRow {
  nightKey: string;
  metSla: boolean | null;
  batchStatus: BatchStatus;
}

export interface DoneByMorningStreak {
  /** Consecutive judged nights that met the SLA, counting back from the latest judged one. */
  nights: number;
  /** The first night of the streak; null when there is none. */
  sinceNightKey: string | null;
  /** The latest night that missed; null when none in the rows. */
  lastMissNightKey: string | null;
  /** Tonight's batch is still being worked on (not judged yet, not counted). */
  tonightPending: boolean;
}

/**
 * The done-by-morning streak from nightly batches, newest first. Nights still open (no digest
 * yet, batch planned or running) at the head are skipped — they are not judged yet; after that,
 * every night with `met_sla` true counts until one that missed (or was never judged).
 * Nights without a batch (the schedule was paused) neither break nor extend it.
 */
export function computeStreak(rows: readonly StreakRow[]): DoneByMorningStreak {
  let i = 0;
  let tonightPending = false;
  while (i < rows.length && rows[i]!.metSla === null && (rows[i]!.batchStatus === "running" || rows[i]!.batchStatus === "planned")) {
    tonightPending = true;
    i++;
  }
  let nights = 0;
  let sinceNightKey: string | null = null;
  for (; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.metSla !== true) break;
    nights++;
    sinceNightKey = row.nightKey;
  }
  const lastMiss = rows.find((row) => row.metSla === false);
  return { nights, sinceNightKey, lastMissNightKey: lastMiss?.nightKey ?? null, tonightPending };
}

const nightFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const nightFormatShort = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** A night key in words: "2026-12-01" → "Tue 1 Dec" (`short`: "1 Dec"). The key is already a local date. */
export function formatNight(nightKey: string, options: { short?: boolean } = {}): string {
  const [y, m, d] = nightKey.split("-").map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, 12));
  return (options.short ? nightFormatShort : nightFormat).format(date);
}

/** The streak in words: "12 nights in a row", "1 night", "No night yet". */
export function streakInWords(streak: Pick<DoneByMorningStreak, "nights">): string {
  if (streak.nights === 0) return "No night in a row yet";
  return streak.nights === 1 ? "1 night in a row" : `${new Intl.NumberFormat("en-US").format(streak.nights)} nights in a row`;
}
