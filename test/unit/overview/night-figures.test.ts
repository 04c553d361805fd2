import { describe, expect, it } from "vitest";
import { computeStreak, formatNight, nightAxis, oemSeries, streakInWords, successRateOf, tallyNights, type NightCountRow, type StreakRow } from "@/lib/overview/night-figures";

const row = (nightKey: string, oemId: string | null, runStatus: NightCountRow["runStatus"], count: number, extra: Partial<NightCountRow> = {}): NightCountRow => ({
  batchId: `b-${nightKey}`,
  nightKey,
  batchStatus: "finished",
  metSla: true,
  oemId,
  runStatus,
  count,
  ...extra,
});

describe("nightAxis", () => {
  it("lists the calendar nights ending at the last one, oldest first, across a month and a year end", () => {
    expect(nightAxis("2026-03-02", 4)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
    expect(nightAxis("2027-01-01", 2)).toEqual(["2026-12-31", "2027-01-01"]);
    expect(nightAxis("2026-12-02", 14)).toHaveLength(14);
  });
});

describe("tallyNights", () => {
  it("adds up each night and each OEM's share: submitted, terminal fails by kind, open, cancelled, and the success rate", () => {
    const nights = tallyNights(
      ["2026-11-30", "2026-12-01"],
      [
        row("2026-12-01", "arden", "submitted", 150),
        row("2026-12-01", "arden", "needs_review", 3),
        row("2026-12-01", "borealis", "submitted", 62),
        row("2026-12-01", "borealis", "parked", 5),
        row("2026-12-01", "borealis", "cancelled", 2),
        row("2026-12-01", "borealis", "queued", 1),
      ],
    );
    expect(nights[0]).toMatchObject({ nightKey: "2026-11-30", batchId: null, total: 0, successRate: null, byOem: {} });
    expect(nights[1]).toMatchObject({ nightKey: "2026-12-01", batchId: "b-2026-12-01", metSla: true, total: 223, submitted: 212, terminalFails: 8, needsReview: 3, parked: 5, failed: 0, cancelled: 2, open: 1 });
    expect(nights[1]!.successRate).toBeCloseTo(212 / 220, 10);
    expect(nights[1]!.byOem.arden).toMatchObject({ total: 153, submitted: 150, terminalFails: 3 });
    expect(nights[1]!.byOem.arden!.successRate).toBeCloseTo(150 / 153, 10);
    expect(nights[1]!.byOem.borealis!.successRate).toBeCloseTo(62 / 67, 10);
  });

  it("keeps a nightly batch without runs as a night with a batch and no figures, and ignores rows off the axis", () => {
    const nights = tallyNights(["2026-12-01"], [row("2026-12-01", null, null, 0, { metSla: null, batchStatus: "running" }), row("2026-11-01", "arden", "submitted", 9)]);
    expect(nights).toHaveLength(1);
    expect(nights[0]).toMatchObject({ batchId: "b-2026-12-01", batchStatus: "running", metSla: null, total: 0, successRate: null });
  });

  it("takes each night's totals from the total rows and the OEM shares from the OEM rows when they are given apart", () => {
    const totals = [row("2026-11-30", null, "submitted", 9), row("2026-12-01", null, "submitted", 5), row("2026-12-01", null, "parked", 1)];
    const byOem = [row("2026-12-01", "arden", "submitted", 5), row("2026-12-01", "borealis", "parked", 1)];
    const nights = tallyNights(["2026-11-30", "2026-12-01"], totals, byOem);
    expect(nights[0]).toMatchObject({ total: 9, submitted: 9, byOem: {} });
    expect(nights[1]).toMatchObject({ total: 6, submitted: 5, parked: 1 });
    expect(nights[1]!.byOem).toMatchObject({ arden: { total: 5, successRate: 1 }, borealis: { total: 1, successRate: 0 } });
  });

  it("gives each OEM a series with gaps for nights without its runs", () => {
    const nights = tallyNights(["2026-11-29", "2026-11-30", "2026-12-01"], [row("2026-11-29", "arden", "submitted", 4), row("2026-12-01", "arden", "submitted", 3), row("2026-12-01", "arden", "failed", 1)]);
    expect(oemSeries(nights, "arden")).toEqual([1, null, 0.75]);
    expect(oemSeries(nights, "corvid")).toEqual([null, null, null]);
  });
});

describe("successRateOf", () => {
  it("counts rehearsals as filed and is undefined until something settled", () => {
    expect(successRateOf({ submitted: 0, rehearsed: 9, terminalFails: 1 })).toBe(0.9);
    expect(successRateOf({ submitted: 0, rehearsed: 0, terminalFails: 0 })).toBeNull();
  });
});

describe("computeStreak", () => {
  const night = (nightKey: string, metSla: boolean | null, batchStatus: StreakRow["batchStatus"] = "finished"): StreakRow => ({ nightKey, metSla, batchStatus });

  it("counts consecutive nights done by morning back to the last miss", () => {
    expect(computeStreak([night("2026-12-01", true), night("2026-11-30", true), night("2026-11-29", true), night("2026-11-28", false), night("2026-11-27", true)])).toEqual({
      nights: 3,
      sinceNightKey: "2026-11-29",
      lastMissNightKey: "2026-11-28",
      tonightPending: false,
    });
  });

  it("skips tonight while it is still running, and a miss last night means no streak", () => {
    expect(computeStreak([night("2026-12-02", null, "running"), night("2026-12-01", true)])).toMatchObject({ nights: 1, tonightPending: true, sinceNightKey: "2026-12-01" });
    expect(computeStreak([night("2026-12-01", false), night("2026-11-30", true)])).toEqual({ nights: 0, sinceNightKey: null, lastMissNightKey: "2026-12-01", tonightPending: false });
  });

  it("stops at a finished night that was never judged, and is zero with no nights", () => {
    expect(computeStreak([night("2026-12-01", true), night("2026-11-30", null, "finished"), night("2026-11-29", true)])).toMatchObject({ nights: 1 });
    expect(computeStreak([])).toEqual({ nights: 0, sinceNightKey: null, lastMissNightKey: null, tonightPending: false });
  });
});

describe("words", () => {
  it("says a night key as a date and the streak as nights in a row", () => {
    expect(formatNight("2026-12-01")).toBe("Tue 1 Dec");
    expect(formatNight("2026-12-01", { short: true })).toBe("1 Dec");
    expect(streakInWords({ nights: 0 })).toBe("No night in a row yet");
    expect(streakInWords({ nights: 1 })).toBe("1 night in a row");
    expect(streakInWords({ nights: 1204 })).toBe("1,204 nights in a row");
  });
});
