import { and, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alerts, batches, cases, oems, runs } from "@/drizzle/schema";
import type { Database } from "@/lib/db/client";
import {
  CASE_STATUSES,
  OPEN_RUN_STATUSES,
  TERMINAL_FAIL_STATUSES,
  isOneOf,
  type AlertSeverity,
  type BatchStatus,
  type BatchTrigger,
  type CaseStatus,
  type ErrorClass,
  type RunStatus,
} from "@/lib/domain/vocabulary";
import { readProgress } from "@/lib/batches/progress";
import type { MorningDigest } from "@/lib/batches/digest-types";
import { parseBatchPlan } from "@/lib/batches/recipe";
import { listLiveWorkers, type LiveWorker } from "@/lib/workers/heartbeats";
import { getReportTimeZone } from "@/lib/batches/digest";
import { describeNightOutcome, getMorningVerdict, type MorningVerdictResult, type NightOutcomeWords } from "./morning-verdict";

/** Case statuses still on their way: neither submitted nor a terminal fail that waits for a person. */
const IN_PROGRESS_CASE_STATUSES = CASE_STATUSES.filter((status) => status !== "submitted" && !isOneOf(TERMINAL_FAIL_STATUSES, status));

/** Counts by status; a status without rows is absent. */
export type StatusCounts<S extends string> = Partial<Record<S, number>>;

export interface OverviewBatch {
  id: string;
  trigger: BatchTrigger;
  /** Nightly batches: the local night ("2026-12-02" in the schedule's zone); null for Run now and urgent batches. */
  nightKey: string | null;
  status: BatchStatus;
  deadline: Date | null;
  caseCount: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  /** Run counts by run status. */
  runCounts: StatusCounts<RunStatus>;
  totalRuns: number;
  openRuns: number;
  settledAt: Date | null;
  /** Terminal fails of this batch by error class, largest first. */
  failuresByClass: Array<{ errorClass: ErrorClass; count: number }>;
  morning: MorningVerdictResult;
  /** A dry run: every step but the final submit. */
  dryRun: boolean;
  /** Projected finish vs deadline (lib/batches/progress.ts): at risk as soon as the projection passes it. */
  atRisk: boolean;
  /** When the projection first passed the deadline (the watch's alert); stays set. */
  atRiskSince: Date | null;
  /** How far past the deadline the projection lands (ms), while at risk. */
  lateByMs: number | null;
  /** Runs finished per minute (sliding window); null before the first finish. */
  throughputPerMinute: number | null;
  /** The morning digest, once built (at the deadline or when the batch ended). */
  digest: OverviewDigest | null;
  /** The outcome in words, clock times in the schedule's zone ("Done by 5:42 AM — 212 of 220 submitted · …"). */
  words: NightOutcomeWords;
}

/** What the overview shows of a batch's morning digest. */
export interface OverviewDigest {
  builtAt: Date;
  reason: MorningDigest["reason"];
  headline: string;
  metSla: boolean;
  terminalFails: number;
}

export interface OverviewOem {
  id: string;
  label: string;
  color: string;
  monogram: string;
  pausedAt: Date | null;
  pausedReason: string | null;
  total: number;
  /** Case counts by case status. */
  counts: StatusCounts<CaseStatus>;
}

export interface OverviewKpis {
  total: number;
  submitted: number;
  inProgress: number;
  needsAttention: number;
  /** Case counts by case status. */
  byStatus: StatusCounts<CaseStatus>;
}

export interface Overview {
  generatedAt: Date;
  /** The schedule's zone, in which the night's words tell their clock times. */
  timeZone: string;
  latestBatch: OverviewBatch | null;
  /** The latest nightly batch (last night's, or tonight's while it runs); the same object as `latestBatch` when it is that one. */
  lastNight: OverviewBatch | null;
  kpis: OverviewKpis;
  oems: OverviewOem[];
  workers: LiveWorker[];
  queue: { queued: number; retryScheduled: number; running: number; depth: number };
  /** Open alerts for ops (e.g. a portal paused after refused credentials), newest first. */
  alerts: OverviewAlert[];
}

export interface OverviewAlert {
  id: string;
  severity: AlertSeverity;
  kind: string;
  oemId: string | null;
  message: string;
  createdAt: Date;
}

export interface GetOverviewParams {
  /** Seconds without a heartbeat after which a worker no longer counts as live. */
  workerStaleAfterSeconds?: number;
  now?: Date;
}

/** Everything the overview page shows, read from our tables (never from graphile_worker). */
export async function getOverview(db: Database, params: GetOverviewParams = {}): Promise<Overview> {
  const now = params.now ?? new Date();
  const timeZone = await getReportTimeZone(db);
  const [latestBatch, lastNightRow, oemRows, workers, runStatusRows, openAlerts] = await Promise.all([
    getLatestBatch(db, { now, timeZone }),
    getLastNightRow(db),
    db
      .select({
        id: oems.id,
        label: oems.label,
        color: oems.color,
        monogram: oems.monogram,
        pausedAt: oems.pausedAt,
        pausedReason: oems.pausedReason,
        status: cases.status,
        count: count(cases.id),
      })
      .from(oems)
      .leftJoin(cases, eq(cases.oemId, oems.id))
      .groupBy(oems.id, cases.status)
      .orderBy(oems.label),
    listLiveWorkers(db, { staleAfterSeconds: params.workerStaleAfterSeconds ?? 60 }),
    db
      .select({ status: runs.status, count: count() })
      .from(runs)
      .where(inArray(runs.status, [...OPEN_RUN_STATUSES]))
      .groupBy(runs.status),
    db
      .select({ id: alerts.id, severity: alerts.severity, kind: alerts.kind, oemId: alerts.oemId, message: alerts.message, createdAt: alerts.createdAt })
      .from(alerts)
      .where(isNull(alerts.resolvedAt))
      .orderBy(desc(alerts.createdAt))
      .limit(10),
  ]);

  // One pass over cases (OEM × status) gives both the OEM cards and the KPIs (every case has an OEM).
  const byStatus: StatusCounts<CaseStatus> = {};
  const oemMap = new Map<string, OverviewOem>();
  for (const row of oemRows) {
    let oem = oemMap.get(row.id);
    if (!oem) {
      oem = { id: row.id, label: row.label, color: row.color, monogram: row.monogram, pausedAt: row.pausedAt, pausedReason: row.pausedReason, total: 0, counts: {} };
      oemMap.set(row.id, oem);
    }
    if (row.status !== null && row.count > 0) {
      oem.counts[row.status] = row.count;
      oem.total += row.count;
      byStatus[row.status] = (byStatus[row.status] ?? 0) + row.count;
    }
  }

  // Usually the latest batch is last night's: summarised once.
  const lastNight = !lastNightRow ? null : lastNightRow.id === latestBatch?.id ? latestBatch : await summariseBatch(db, lastNightRow, { now, timeZone });

  const runCounts = toCounts<RunStatus>(runStatusRows);
  const queued = runCounts.queued ?? 0;
  const retryScheduled = runCounts.retry_scheduled ?? 0;

  return {
    generatedAt: now,
    timeZone,
    latestBatch,
    lastNight,
    kpis: {
      total: sum(Object.values(byStatus)),
      submitted: byStatus.submitted ?? 0,
      inProgress: sumOf(byStatus, IN_PROGRESS_CASE_STATUSES),
      needsAttention: sumOf(byStatus, TERMINAL_FAIL_STATUSES),
      byStatus,
    },
    oems: [...oemMap.values()],
    workers,
    queue: { queued, retryScheduled, running: runCounts.running ?? 0, depth: queued + retryScheduled },
    alerts: openAlerts.map((alert) => ({ ...alert, severity: alert.severity })),
  };
}

const BATCH_COLUMNS = {
  id: batches.id,
  trigger: batches.trigger,
  nightKey: batches.nightKey,
  status: batches.status,
  deadline: batches.deadline,
  caseCount: batches.caseCount,
  startedAt: batches.startedAt,
  finishedAt: batches.finishedAt,
  createdAt: batches.createdAt,
  parameters: batches.parameters,
  atRiskSince: batches.atRiskSince,
  digest: batches.digest,
  digestBuiltAt: batches.digestBuiltAt,
  metSla: batches.metSla,
};
const selectBatches = (db: Database) => db.select(BATCH_COLUMNS).from(batches);
type BatchRow = Awaited<ReturnType<typeof selectBatches>>[number];

/** The batch the overview is about: the newest running one, else the newest; null before the first batch. */
async function getLatestBatch(db: Database, params: { now: Date; timeZone: string }): Promise<OverviewBatch | null> {
  const [batch] = await selectBatches(db)
    // A running batch (of the last two days) is "tonight's", even when a later one already finished.
    .orderBy(sql`(${batches.status} = 'running' and ${batches.createdAt} > ${new Date(params.now.getTime() - 2 * 86_400_000).toISOString()}::timestamptz) desc`, desc(batches.createdAt))
    .limit(1);
  return batch ? summariseBatch(db, batch, params) : null;
}

/** The latest nightly batch's row (by night, on the unique night_key index); null before the first night. */
async function getLastNightRow(db: Database): Promise<BatchRow | null> {
  const [batch] = await selectBatches(db).where(isNotNull(batches.nightKey)).orderBy(desc(batches.nightKey)).limit(1);
  return batch ?? null;
}

async function summariseBatch(db: Database, batch: BatchRow, params: { now: Date; timeZone: string }): Promise<OverviewBatch> {
  const [progress, classRows] = await Promise.all([
    readProgress(db, batch, { now: params.now }),
    db
      .select({ errorClass: runs.errorClass, count: count() })
      .from(runs)
      .where(and(eq(runs.batchId, batch.id), isNotNull(runs.errorClass), inArray(runs.status, [...TERMINAL_FAIL_STATUSES])))
      .groupBy(runs.errorClass)
      .orderBy(desc(count())),
  ]);

  const runCounts = progress.counts;
  const totalRuns = progress.total;
  const openRuns = progress.remaining;
  const settledAt = openRuns === 0 ? (batch.finishedAt ?? progress.lastFinishedAt) : null;
  const { parameters, digest, digestBuiltAt, metSla, ...row } = batch;
  const dryRun = parseBatchPlan(parameters).dryRun;
  const morning = withDigestVerdict(
    getMorningVerdict(
      { deadline: batch.deadline, startedAt: batch.startedAt, settledAt, totalRuns, openRuns, projection: { projectedFinishAt: progress.projectedFinish, atRisk: progress.atRisk } },
      params.now,
    ),
    digest ? (metSla ?? digest.metSla) : null,
    openRuns,
  );

  return {
    ...row,
    runCounts,
    totalRuns,
    openRuns,
    settledAt,
    failuresByClass: classRows.flatMap((r) => (r.errorClass ? [{ errorClass: r.errorClass, count: r.count }] : [])),
    morning,
    dryRun,
    atRisk: progress.atRisk,
    atRiskSince: batch.atRiskSince,
    lateByMs: progress.lateByMs,
    throughputPerMinute: progress.throughput.perMinute,
    digest:
      digest && digestBuiltAt
        ? { builtAt: digestBuiltAt, reason: digest.reason, headline: digest.headline, metSla: metSla ?? digest.metSla, terminalFails: digest.terminalFails }
        : null,
    words: describeNightOutcome({
      verdict: morning.verdict,
      timeZone: params.timeZone,
      deadline: batch.deadline,
      settledAt,
      projectedFinishAt: morning.projectedFinishAt,
      dryRun,
      total: totalRuns,
      open: openRuns,
      submitted: runCounts.submitted ?? 0,
      rehearsed: runCounts.rehearsed ?? 0,
      needsReview: runCounts.needs_review ?? 0,
      parked: runCounts.parked ?? 0,
      failed: runCounts.failed ?? 0,
      cancelled: runCounts.cancelled ?? 0,
    }),
  };
}

/** Once the digest has judged the night, the verdict agrees with it (it also counts unexplained fails). */
function withDigestVerdict(morning: MorningVerdictResult, metSla: boolean | null, openRuns: number): MorningVerdictResult {
  if (metSla === null) return morning;
  if (!metSla) return { verdict: "missed", projectedFinishAt: null };
  return openRuns === 0 ? { verdict: "done", projectedFinishAt: null } : morning;
}

function toCounts<S extends string>(rows: ReadonlyArray<{ status: string; count: number }>): StatusCounts<S> {
  const counts: StatusCounts<S> = {};
  for (const row of rows) counts[row.status as S] = row.count;
  return counts;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function sumOf<S extends string>(counts: StatusCounts<S>, keys: readonly S[]): number {
  return sum(keys.map((key) => counts[key] ?? 0));
}
