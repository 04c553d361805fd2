import { describe, expect, it } from "vitest";
import { parseChaos, parseFaults } from "../soak/options";
import { buildReport, histogram, percentile, renderMarkdown, summariseWorkerMemory, type SoakRunRecord } from "../soak/report";
import { knobsFor } from "../soak/run-soak";

const run = (status: string, seconds: number, attempts = 1, errorClass: string | null = null, errorCode: string | null = null): SoakRunRecord => ({
  caseReference: "NS-1",
  oemId: "arden",
  status,
  errorClass,
  errorCode,
  attempts,
  durationMs: seconds * 1000,
});

const kill = (...resumedAfter: Array<number | null>) => ({
  at: "2026-12-01T00:00:00.000Z",
  pid: 1,
  inFlight: resumedAfter.map((s, i) => ({ runId: `r${i}`, caseReference: `NS-${i}`, resumedAfterSeconds: s })),
});

describe("soak report", () => {
  it("reports replay and healing figures when measured, and leaves the row out when not", () => {
    const base = { startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, runs: [], invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 0, postgresRestarts: 0, kills: [], recoveryLimitSeconds: 55 };
    const healing = { primaryHits: 1200, cacheHits: 36, healed: 14, healedByModel: 2, overlaysDismissed: 9, healsProposed: 3, llmCalls: 4, llmCostUsd: 0.0123, awaitingApproval: 0 };
    const measured = buildReport({ ...base, healing });
    expect(measured.healing).toEqual(healing);
    expect(renderMarkdown(measured)).toContain("| replay and healing | 1200 verified locator hits, 36 cache hits, 14 heals (2 by the model), 9 overlays dismissed; 3 proposals; 4 LLM calls ($0.0123); 0 runs awaiting approval |");
    expect(renderMarkdown(buildReport(base))).not.toContain("replay and healing");
  });

  it("computes percentiles by rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([], 95)).toBe(0);
  });

  it("buckets latencies without losing any run", () => {
    const bins = histogram([1, 2, 3, 10, 59, 60], 6);
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(6);
    expect(bins[0]!.fromSeconds).toBe(0);
  });

  it("fails the greenlight on a lost case or a duplicate even when every rate is fine", () => {
    const runs = Array.from({ length: 100 }, () => run("submitted", 10));
    const clean = buildReport({ startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, runs, invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 2, postgresRestarts: 1, kills: [kill(12.34)], recoveryLimitSeconds: 55 });
    expect(clean.greenlight.passed).toBe(true);
    expect(clean.throughputPerMinute).toBe(100);
    const lost = buildReport({ startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, runs, invariants: { lostCases: ["NS-9"], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 0, postgresRestarts: 0, kills: [], recoveryLimitSeconds: 55 });
    expect(lost.greenlight).toMatchObject({ invariantsHold: false, passed: false });
    expect(renderMarkdown(lost)).toContain("NS-9");
  });

  it("counts terminal fails by class and the classifier's unknowns", () => {
    const runs = [...Array.from({ length: 97 }, () => run("submitted", 5)), run("needs_review", 5, 1, "portal_rejected", "data_rejected"), run("parked", 5, 1, "adapter_bug", "unhandled_exception"), run("failed", 5, 3, "site_flake", "http_503")];
    const report = buildReport({ startedAt: new Date(0), finishedAt: new Date(1000), options: {}, runs, invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 0, postgresRestarts: 0, kills: [], recoveryLimitSeconds: 55 });
    expect(report.terminalFailRate).toBe(0.03);
    expect(report.greenlight.failRateBelow3Percent).toBe(false);
    expect(report.terminalFailsByClass).toEqual({ portal_rejected: 1, adapter_bug: 1, site_flake: 1 });
    expect(report.unclassifiedFailures).toBe(1);
    expect(report.attemptsPerCase).toEqual({ "1": 99, "3": 1 });
  });
});

describe("soak greenlight", () => {
  const base = { startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 1, postgresRestarts: 0, recoveryLimitSeconds: 55 };
  const fast = Array.from({ length: 100 }, () => run("submitted", 10));

  it("fails on one run longer than 10 minutes even when p95 is fine", () => {
    const report = buildReport({ ...base, runs: [...fast.slice(1), run("submitted", 601)], kills: [] });
    expect(report.greenlight).toMatchObject({ p95Below5Minutes: true, maxRunBelow10Minutes: false, passed: false });
  });

  it("fails when any in-flight run of a killed worker waited past the limit, or was never picked up again", () => {
    expect(buildReport({ ...base, runs: fast, kills: [kill(3, 54.9)] }).greenlight.passed).toBe(true);
    expect(buildReport({ ...base, runs: fast, kills: [kill(3), kill(56)] }).greenlight).toMatchObject({ everyRecoveryWithinLimit: false, passed: false });
    const never = buildReport({ ...base, runs: fast, kills: [kill(null)] });
    expect(never.greenlight.everyRecoveryWithinLimit).toBe(false);
    expect(renderMarkdown(never)).toContain("NS-0 → never");
  });
});

describe("soak options", () => {
  it("parses fault mixes and chaos plans, and refuses nonsense with the expected form", () => {
    expect(parseFaults("transient=0.2,popups=0")).toEqual({ transient: 0.2, popups: 0, rejects: 0, drift: 0 });
    expect(() => parseFaults("transient=2")).toThrow(/transient\|popups\|rejects\|drift/);
    expect(parseChaos("kills=10-20")).toEqual({ killEverySeconds: [10, 20], postgresRestartAt: null });
    expect(parseChaos("none")).toEqual({ killEverySeconds: null, postgresRestartAt: null });
    expect(() => parseChaos("meteor=1")).toThrow(/unknown/);
  });

  it("spreads a per-attempt transient rate over the requests of an attempt", () => {
    const knobs = knobsFor({ transient: 0.1, popups: 0.03, rejects: 0.01, drift: 0.005 });
    expect(knobs.portals.arden.error5xxRate).toBeLessThan(0.1);
    expect(knobs.portals.arden).toMatchObject({ popupRate: 0.03, rejectRate: 0.01, domDriftRate: 0.005 });
  });
});

describe("soak worker memory", () => {
  const MiB = 1_048_576;
  const sample = (pid: number, ageSeconds: number, rssMiB: number, treeMiB: number) => ({ pid, ageMs: ageSeconds * 1000, rssBytes: rssMiB * MiB, treeRssBytes: treeMiB * MiB });

  it("reports the first warm worker's RSS, the last worker's, the growth between, and the most growth within one process", () => {
    const memory = summariseWorkerMemory([
      sample(1, 2, 90, 90), // not warm yet: before the browser launched
      sample(1, 10, 200, 500),
      sample(1, 30, 206, 530),
      sample(2, 12, 190, 480),
      sample(2, 40, 210, 520),
    ]);
    expect(memory).toEqual({
      samples: 5,
      processes: 2,
      startRssMiB: 200,
      endRssMiB: 210,
      growthPercent: 5,
      startTreeRssMiB: 500,
      endTreeRssMiB: 520,
      treeGrowthPercent: 4,
      peakRssMiB: 210,
      peakTreeRssMiB: 530,
      maxGrowthWithinOneProcessPercent: 10.5,
    });
    const report = buildReport({ startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, runs: [run("submitted", 5)], invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 0, postgresRestarts: 0, kills: [], recoveryLimitSeconds: 55, workerRss: [sample(1, 10, 200, 500), sample(1, 60, 230, 560)] });
    expect(renderMarkdown(report)).toContain("| worker RSS start → end | 200 → 230 MiB (+15 %) ❌ < 10 %; with Chromium 500 → 560 MiB (+12 %)");
  });

  it("does not judge growth across worker processes that chaos kills restarted", () => {
    const report = buildReport({ startedAt: new Date(0), finishedAt: new Date(60_000), options: {}, runs: [run("submitted", 5)], invariants: { lostCases: [], duplicatePortalFilings: 0, duplicateCrmEffects: 0 }, workerKills: 1, postgresRestarts: 0, kills: [], recoveryLimitSeconds: 55, workerRss: [sample(1, 10, 200, 500), sample(2, 60, 230, 560)] });
    expect(renderMarkdown(report)).toContain("| worker RSS start → end | 200 → 230 MiB (+15 %) (not judged: the worker was restarted; --chaos none for the verdict); with Chromium");
  });

  it("has nothing to report before any worker is warm", () => {
    expect(summariseWorkerMemory([sample(1, 1, 90, 90)])).toBeNull();
  });
});
