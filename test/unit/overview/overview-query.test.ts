import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BUSY_REFETCH_MS,
  HISTORY_BUSY_REFETCH_MS,
  IDLE_REFETCH_MS,
  historyRefetchInterval,
  overviewRefetchInterval,
  parseNightHistory,
  parseOverview,
} from "@/components/overview/overview-query";
import type { NightHistory } from "@/lib/overview/get-night-history";
import { ApiRequestError, fetchJson, type Jsonified } from "@/components/query/fetch-json";
import type { Overview } from "@/lib/overview/get-overview";

const at = (iso: string) => new Date(iso);

const overview = (patch: Partial<Overview> = {}): Overview => ({
  generatedAt: at("2026-01-15T02:30:00.000Z"),
  timeZone: "America/Chicago",
  lastNight: null,
  latestBatch: {
    id: "b-1",
    trigger: "cron",
    nightKey: "2026-01-14",
    status: "running",
    deadline: at("2026-01-15T07:30:00.000Z"),
    caseCount: 3,
    startedAt: at("2026-01-15T01:30:00.000Z"),
    finishedAt: null,
    createdAt: at("2026-01-15T01:29:00.000Z"),
    runCounts: { submitted: 3 },
    totalRuns: 3,
    openRuns: 0,
    settledAt: at("2026-01-15T02:00:00.000Z"),
    failuresByClass: [],
    morning: { verdict: "done", projectedFinishAt: null },
    dryRun: false,
    atRisk: false,
    atRiskSince: at("2026-01-15T01:50:00.000Z"),
    lateByMs: null,
    throughputPerMinute: 0.1,
    digest: { builtAt: at("2026-01-15T02:00:30.000Z"), reason: "finished", headline: "All 3 cases filed by 2:00 AM.", metSla: true, terminalFails: 0 },
    words: { title: "Done by 8:00 PM", details: ["3 of 3 submitted"], sentence: "Done by 8:00 PM — 3 of 3 submitted" },
  },
  kpis: { total: 3, submitted: 3, inProgress: 0, needsAttention: 0, byStatus: { submitted: 3 } },
  oems: [{ id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM", pausedAt: at("2026-01-15T02:10:00.000Z"), pausedReason: "x", total: 3, counts: { submitted: 3 } }],
  workers: [{ id: "w", poolId: null, host: "h", pid: 1, concurrency: 2, startedAt: at("2026-01-15T00:00:00.000Z"), lastSeenAt: at("2026-01-15T02:29:55.000Z") }],
  queue: { queued: 0, retryScheduled: 0, running: 0, depth: 0 },
  alerts: [{ id: "a", severity: "critical", kind: "portal_paused", oemId: "arden", message: "m", createdAt: at("2026-01-15T02:10:00.000Z") }],
  ...patch,
});

describe("parseOverview", () => {
  it("turns the JSON answer back into the overview, dates included", () => {
    const original = overview();
    const json = JSON.parse(JSON.stringify(original)) as Jsonified<Overview>;
    expect(typeof json.generatedAt).toBe("string");
    expect(parseOverview(json)).toEqual(original);
  });

  it("parses last night's batch too when it is not the latest batch", () => {
    const original = overview();
    const withNight = overview({ lastNight: { ...original.latestBatch!, id: "b-0", settledAt: at("2026-01-14T11:00:00.000Z") } });
    const json = JSON.parse(JSON.stringify(withNight)) as Jsonified<Overview>;
    expect(parseOverview(json)).toEqual(withNight);
  });

  it("keeps a missing batch missing", () => {
    const json = JSON.parse(JSON.stringify(overview({ latestBatch: null }))) as Jsonified<Overview>;
    expect(parseOverview(json).latestBatch).toBeNull();
  });
});

describe("overviewRefetchInterval", () => {
  it("polls slowly when nothing is moving, and before the first answer", () => {
    expect(overviewRefetchInterval(overview())).toBe(IDLE_REFETCH_MS);
    expect(overviewRefetchInterval(undefined)).toBe(IDLE_REFETCH_MS);
  });

  it("polls fast while runs are queued, running or waiting for a retry", () => {
    expect(overviewRefetchInterval(overview({ queue: { queued: 0, retryScheduled: 1, running: 0, depth: 1 } }))).toBe(BUSY_REFETCH_MS);
    expect(overviewRefetchInterval(overview({ queue: { queued: 0, retryScheduled: 0, running: 2, depth: 0 } }))).toBe(BUSY_REFETCH_MS);
    const batch = overview().latestBatch!;
    expect(overviewRefetchInterval(overview({ latestBatch: { ...batch, openRuns: 1 } }))).toBe(BUSY_REFETCH_MS);
    expect(overviewRefetchInterval(overview({ lastNight: { ...batch, id: "b-0", openRuns: 4 } }))).toBe(BUSY_REFETCH_MS);
  });
});

describe("historyRefetchInterval", () => {
  it("is quiet when nothing runs and refreshes the nights slowly while work runs", () => {
    expect(historyRefetchInterval(overview())).toBe(false);
    expect(historyRefetchInterval(undefined)).toBe(false);
    expect(historyRefetchInterval(overview({ queue: { queued: 3, retryScheduled: 0, running: 1, depth: 3 } }))).toBe(HISTORY_BUSY_REFETCH_MS);
  });
});

describe("parseNightHistory", () => {
  it("turns the JSON answer back into the history, the schedule's instants included", () => {
    const history: NightHistory = {
      generatedAt: at("2026-01-15T02:30:00.000Z"),
      timeZone: "America/Chicago",
      nights: [],
      oems: [],
      streak: { nights: 3, sinceNightKey: "2026-01-12", lastMissNightKey: null, tonightPending: false },
      tonight: { sentence: "s", detail: "d", nextSlot: at("2026-01-15T07:30:00.000Z"), nextDeadline: at("2026-01-15T13:00:00.000Z"), running: false },
    };
    expect(parseNightHistory(JSON.parse(JSON.stringify(history)) as Jsonified<NightHistory>)).toEqual(history);
  });
});

describe("fetchJson", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("throws the API's sentence and code for an error answer", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(Response.json({ error: { code: "forbidden", message: "Cross-site requests are not allowed." } }, { status: 403 })));
    await expect(fetchJson("/api/batches")).rejects.toMatchObject({ status: 403, code: "forbidden", message: "Cross-site requests are not allowed." });
  });

  it("falls back to a plain sentence when the answer is not ours, and says so when the server is unreachable", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(new Response("<html>Bad gateway</html>", { status: 502 })));
    await expect(fetchJson("/api/overview", { fallback: "The overview could not be loaded." })).rejects.toMatchObject({ status: 502, code: "unknown", message: "The overview could not be loaded." });
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("fetch failed")));
    const error: unknown = await fetchJson("/api/overview").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 0, code: "network" });
  });

  it("returns the parsed body of a successful answer", async () => {
    vi.stubGlobal("fetch", () => Promise.resolve(Response.json({ ok: true })));
    await expect(fetchJson<{ ok: boolean }>("/api/x")).resolves.toEqual({ ok: true });
  });
});
