import { describe, expect, it } from "vitest";
import { getMorningVerdict, type MorningVerdictInput } from "@/lib/overview/morning-verdict";

// The night of 15 January: the batch starts at 01:30, the deadline is 07:30 (the clock is injected).
const START = new Date("2026-01-15T01:30:00.000Z");
const DEADLINE = new Date("2026-01-15T07:30:00.000Z");
const at = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

const batch = (input: Partial<MorningVerdictInput>): MorningVerdictInput => ({
  deadline: DEADLINE,
  startedAt: START,
  settledAt: null,
  totalRuns: 10,
  openRuns: 10,
  ...input,
});

describe("getMorningVerdict", () => {
  it("is not started while the batch has no run", () => {
    expect(getMorningVerdict(batch({ totalRuns: 0, openRuns: 0, startedAt: null }), at(10))).toEqual({ verdict: "not_started", projectedFinishAt: null });
    // Even past the deadline: an empty batch has nothing to miss.
    expect(getMorningVerdict(batch({ totalRuns: 0, openRuns: 0 }), at(24 * 60))).toEqual({ verdict: "not_started", projectedFinishAt: null });
  });

  describe("every run settled", () => {
    it("is done when the last run settled before the deadline", () => {
      expect(getMorningVerdict(batch({ openRuns: 0, settledAt: at(90) }), at(600))).toEqual({ verdict: "done", projectedFinishAt: null });
    });

    it("is done when it settled exactly at the deadline", () => {
      expect(getMorningVerdict(batch({ openRuns: 0, settledAt: DEADLINE }), at(600)).verdict).toBe("done");
    });

    it("is done without a deadline, however late", () => {
      expect(getMorningVerdict(batch({ deadline: null, openRuns: 0, settledAt: at(20 * 60) }), at(21 * 60)).verdict).toBe("done");
    });

    it("is done when the settle time is unknown", () => {
      expect(getMorningVerdict(batch({ openRuns: 0, settledAt: null }), at(24 * 60)).verdict).toBe("done");
    });

    it("is missed when the last run settled after the deadline", () => {
      expect(getMorningVerdict(batch({ openRuns: 0, settledAt: at(361) }), at(400))).toEqual({ verdict: "missed", projectedFinishAt: null });
    });
  });

  describe("runs still open", () => {
    it("is missed once the deadline has passed", () => {
      expect(getMorningVerdict(batch({ openRuns: 2 }), at(361))).toEqual({ verdict: "missed", projectedFinishAt: null });
    });

    it("is not missed at the deadline itself", () => {
      expect(getMorningVerdict(batch({ openRuns: 5 }), DEADLINE).verdict).not.toBe("missed");
    });

    it("is not started when runs are enqueued but the batch has not started", () => {
      expect(getMorningVerdict(batch({ startedAt: null, openRuns: 10 }), at(5))).toEqual({ verdict: "not_started", projectedFinishAt: null });
      expect(getMorningVerdict(batch({ startedAt: null, openRuns: 4 }), at(5))).toEqual({ verdict: "not_started", projectedFinishAt: null });
    });

    it("is on track without a projection while no run has settled yet", () => {
      expect(getMorningVerdict(batch({ openRuns: 10 }), at(30))).toEqual({ verdict: "on_track", projectedFinishAt: null });
    });

    it("projects the finish from the pace so far and is on track when that is before the deadline", () => {
      // 4 of 10 settled in 60 min → 150 min in all → 04:00.
      expect(getMorningVerdict(batch({ openRuns: 6 }), at(60))).toEqual({ verdict: "on_track", projectedFinishAt: at(150) });
    });

    it("is on track when the projection lands exactly on the deadline", () => {
      // 5 of 10 settled in 180 min → 360 min → 07:30.
      expect(getMorningVerdict(batch({ openRuns: 5 }), at(180))).toEqual({ verdict: "on_track", projectedFinishAt: DEADLINE });
    });

    it("is at risk when the projected finish is after the deadline", () => {
      // 2 of 10 settled in 120 min → 600 min → 11:30.
      expect(getMorningVerdict(batch({ openRuns: 8 }), at(120))).toEqual({ verdict: "at_risk", projectedFinishAt: at(600) });
    });

    it("is on track without a deadline, whatever the pace", () => {
      expect(getMorningVerdict(batch({ deadline: null, openRuns: 9 }), at(600))).toEqual({ verdict: "on_track", projectedFinishAt: at(6000) });
    });

    it("treats a clock behind the start as no time elapsed", () => {
      expect(getMorningVerdict(batch({ openRuns: 5 }), at(-10))).toEqual({ verdict: "on_track", projectedFinishAt: START });
    });
  });
});
