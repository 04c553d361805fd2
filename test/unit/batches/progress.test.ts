import { describe, expect, it } from "vitest";
import { measureThroughput, projectFinish, summariseProgress, type ProgressRow } from "@/lib/batches/progress";

// The night of 15 January (UTC): the batch starts at 07:30, the deadline is 13:00. The clock is injected.
const START = new Date("2026-01-15T07:30:00.000Z");
const DEADLINE = new Date("2026-01-15T13:00:00.000Z");
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

describe("measureThroughput", () => {
  it("has no rate before the first run finishes", () => {
    expect(measureThroughput({ now: at(30), startedAt: START, finishedTotal: 0, finishedInWindow: 0 })).toMatchObject({ perMinute: null, basis: "none" });
  });

  it("uses the whole batch while it is younger than the window", () => {
    expect(measureThroughput({ now: at(4), startedAt: START, finishedTotal: 12, finishedInWindow: 12 })).toMatchObject({ perMinute: 3, basis: "batch" });
  });

  it("uses the runs finished in the last 10 minutes once the batch is older", () => {
    // 600 finished over 2 h (5/min), but only 20 in the last 10 min: the recent pace wins.
    expect(measureThroughput({ now: at(120), startedAt: START, finishedTotal: 600, finishedInWindow: 20 })).toMatchObject({ perMinute: 2, basis: "window" });
  });

  it("falls back to the batch average when nothing finished inside the window", () => {
    expect(measureThroughput({ now: at(100), startedAt: START, finishedTotal: 50, finishedInWindow: 0 })).toMatchObject({ perMinute: 0.5, basis: "batch" });
  });
});

describe("projectFinish", () => {
  it("projects now + remaining / throughput and is on track while that is before the deadline", () => {
    const p = projectFinish({ now: at(60), remaining: 100, perMinute: 2, deadline: DEADLINE });
    expect(p).toEqual({ projectedFinish: at(110), atRisk: false, lateByMs: at(110).getTime() - DEADLINE.getTime() });
  });

  it("is at risk as soon as the projection passes the deadline, long before the deadline itself", () => {
    // 5 h 30 min to the deadline; 400 left at 1/min would take 6 h 40 min.
    const p = projectFinish({ now: at(0.5), remaining: 400, perMinute: 1, deadline: DEADLINE });
    expect(p.atRisk).toBe(true);
    expect(p.projectedFinish).toEqual(at(400.5));
    expect(p.lateByMs).toBe(70.5 * 60_000);
  });

  it("is not at risk when the projection lands exactly on the deadline", () => {
    expect(projectFinish({ now: at(300), remaining: 30, perMinute: 1, deadline: DEADLINE }).atRisk).toBe(false);
    expect(projectFinish({ now: at(300), remaining: 31, perMinute: 1, deadline: DEADLINE }).atRisk).toBe(true);
  });

  it("has no projection before any finish, and is at risk then only once the deadline has passed", () => {
    expect(projectFinish({ now: at(10), remaining: 50, perMinute: null, deadline: DEADLINE })).toEqual({ projectedFinish: null, atRisk: false, lateByMs: null });
    expect(projectFinish({ now: at(331), remaining: 50, perMinute: null, deadline: DEADLINE }).atRisk).toBe(true);
  });

  it("is never at risk without a deadline or with nothing left", () => {
    expect(projectFinish({ now: at(60), remaining: 1_000, perMinute: 0.1, deadline: null })).toMatchObject({ atRisk: false, projectedFinish: at(10_060) });
    expect(projectFinish({ now: at(999), remaining: 0, perMinute: 1, deadline: DEADLINE })).toEqual({ projectedFinish: null, atRisk: false, lateByMs: null });
  });
});

describe("summariseProgress", () => {
  const meta = new Map([
    ["arden", { label: "Arden Motors", color: "#000", monogram: "AM" }],
    ["corvid", { label: "Corvid Instruments", color: "#111", monogram: "CI" }],
  ]);
  const rows: ProgressRow[] = [
    { oemId: "arden", status: "submitted", count: 40, finishedInWindow: 8, lastFinishedAt: at(29) },
    { oemId: "arden", status: "needs_review", count: 2, finishedInWindow: 0, lastFinishedAt: at(12) },
    { oemId: "arden", status: "queued", count: 58, finishedInWindow: 0, lastFinishedAt: null },
    { oemId: "corvid", status: "submitted", count: 10, finishedInWindow: 2, lastFinishedAt: at(28) },
    { oemId: "corvid", status: "running", count: 2, finishedInWindow: 0, lastFinishedAt: null },
    // A cancelled run is not throughput.
    { oemId: "corvid", status: "cancelled", count: 5, finishedInWindow: 5, lastFinishedAt: at(29) },
  ];

  it("counts per status and per OEM, and projects from the window's pace", () => {
    const p = summariseProgress({ id: "b", status: "running", deadline: DEADLINE, startedAt: START }, rows, meta, { now: at(30) });
    expect(p).toMatchObject({ total: 117, remaining: 60, submitted: 50, terminalFails: 2, cancelled: 5, counts: { submitted: 50, queued: 58, running: 2 } });
    expect(p.oems.map((o) => [o.oemId, o.total, o.open, o.submitted, o.terminalFails])).toEqual([
      ["arden", 100, 58, 40, 2],
      ["corvid", 17, 2, 10, 0],
    ]);
    // 10 finished in the last 10 minutes: 1/min, 60 left → one hour from now.
    expect(p.throughput).toMatchObject({ perMinute: 1, basis: "window", finishedInWindow: 10 });
    expect(p.projectedFinish).toEqual(at(90));
    expect(p.atRisk).toBe(false);
    expect(p.lastFinishedAt).toEqual(at(29));
  });

  it("projects nothing for a finished batch", () => {
    const p = summariseProgress({ id: "b", status: "cancelled", deadline: DEADLINE, startedAt: START }, rows, meta, { now: at(30) });
    expect(p).toMatchObject({ projectedFinish: null, atRisk: false });
  });
});

describe("the overview's morning verdict", () => {
  it("follows the batch's own projection while runs are open", async () => {
    const { getMorningVerdict } = await import("@/lib/overview/morning-verdict");
    const input = { deadline: DEADLINE, startedAt: START, settledAt: null, totalRuns: 100, openRuns: 40 };
    // The whole-batch average (60 in 60 min) says on track; the last 10 minutes say otherwise.
    expect(getMorningVerdict(input, at(60)).verdict).toBe("on_track");
    expect(getMorningVerdict({ ...input, projection: { projectedFinishAt: at(400), atRisk: true } }, at(60))).toEqual({ verdict: "at_risk", projectedFinishAt: at(400) });
  });
});
