/**
 * The overview's live data: one query key family, the fetcher of `GET /api/overview`, the date
 * parsing of its JSON, and how often to poll. Shared by the server page (prefetch) and the client.
 */
import type { Overview, OverviewBatch } from "@/lib/overview/get-overview";
import type { NightHistory } from "@/lib/overview/get-night-history";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";

export const overviewKeys = {
  all: ["overview"] as const,
  /** The nights behind the trend, the sparklines and the streak (GET /api/overview/history). */
  history: () => [...overviewKeys.all, "history"] as const,
};

/** Poll this often while runs are queued, running or waiting for a retry. */
export const BUSY_REFETCH_MS = 5_000;
/** …and this often when nothing is moving (a batch may still start by cron or webhook). */
export const IDLE_REFETCH_MS = 60_000;
/** The nights' history changes only as runs settle: refreshed this often while work runs, not at all when idle. */
export const HISTORY_BUSY_REFETCH_MS = 30_000;

const toDate = (value: string) => new Date(value);
const toDateOrNull = (value: string | null) => (value === null ? null : new Date(value));

function parseBatch(batch: Jsonified<OverviewBatch>): OverviewBatch {
  return {
    ...batch,
    deadline: toDateOrNull(batch.deadline),
    startedAt: toDateOrNull(batch.startedAt),
    finishedAt: toDateOrNull(batch.finishedAt),
    createdAt: toDate(batch.createdAt),
    settledAt: toDateOrNull(batch.settledAt),
    morning: { ...batch.morning, projectedFinishAt: toDateOrNull(batch.morning.projectedFinishAt) },
    atRiskSince: toDateOrNull(batch.atRiskSince),
    digest: batch.digest ? { ...batch.digest, builtAt: toDate(batch.digest.builtAt) } : null,
  };
}

/** The overview as it arrives over JSON, with its dates turned back into `Date`s. */
export function parseOverview(json: Jsonified<Overview>): Overview {
  return {
    ...json,
    generatedAt: toDate(json.generatedAt),
    latestBatch: json.latestBatch ? parseBatch(json.latestBatch) : null,
    lastNight: json.lastNight ? parseBatch(json.lastNight) : null,
    oems: json.oems.map((oem) => ({ ...oem, pausedAt: toDateOrNull(oem.pausedAt) })),
    workers: json.workers.map((worker) => ({ ...worker, startedAt: toDate(worker.startedAt), lastSeenAt: toDate(worker.lastSeenAt) })),
    alerts: json.alerts.map((alert) => ({ ...alert, createdAt: toDate(alert.createdAt) })),
  };
}

export async function fetchOverview(): Promise<Overview> {
  return parseOverview(await fetchJson<Jsonified<Overview>>("/api/overview", { cache: "no-store", fallback: "The overview could not be loaded." }));
}

/** Whether any run is queued, running or waiting for its next attempt. */
export function isWorkRunning(overview: Overview): boolean {
  const { queue, latestBatch, lastNight } = overview;
  return queue.depth + queue.running > 0 || (latestBatch?.openRuns ?? 0) > 0 || (lastNight?.openRuns ?? 0) > 0;
}

/** Fast while work is running, slow when idle. TanStack pauses polling while the tab is hidden. */
export function overviewRefetchInterval(overview: Overview | undefined): number {
  return overview && isWorkRunning(overview) ? BUSY_REFETCH_MS : IDLE_REFETCH_MS;
}

/** The nights' history as it arrives over JSON, dates turned back into `Date`s. */
export function parseNightHistory(json: Jsonified<NightHistory>): NightHistory {
  return {
    ...json,
    generatedAt: toDate(json.generatedAt),
    tonight: { ...json.tonight, nextSlot: toDateOrNull(json.tonight.nextSlot), nextDeadline: toDateOrNull(json.tonight.nextDeadline) },
  };
}

export async function fetchNightHistory(): Promise<NightHistory> {
  return parseNightHistory(await fetchJson<Jsonified<NightHistory>>("/api/overview/history", { cache: "no-store", fallback: "The nights could not be loaded." }));
}

/** Refresh the history while work runs; when idle it waits for the next change (or a focus of the tab). */
export function historyRefetchInterval(overview: Overview | undefined): number | false {
  return overview && isWorkRunning(overview) ? HISTORY_BUSY_REFETCH_MS : false;
}
