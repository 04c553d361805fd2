import { describe, expect, it } from "vitest";
import { formatAbsoluteDate, formatRelativeDate } from "../../lib/format/date";
import { formatDuration, formatDurationBetween } from "../../lib/format/duration";
import { formatCount, formatCountOf, formatPercent, formatShare } from "../../lib/format/number";

describe("formatCount", () => {
  it("groups thousands with commas", () => {
    expect(formatCount(0)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("rounds fractions and renders non-finite values as a dash", () => {
    expect(formatCount(12.6)).toBe("13");
    expect(formatCount(Number.NaN)).toBe("—");
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe("—");
  });

  it("pairs a count with a singular or plural noun", () => {
    expect(formatCountOf(1, "case")).toBe("1 case");
    expect(formatCountOf(1204, "case")).toBe("1,204 cases");
    expect(formatCountOf(0, "batch", "batches")).toBe("0 batches");
  });
});

describe("formatPercent", () => {
  it("shows ratios with exactly one decimal", () => {
    expect(formatPercent(0.875)).toBe("87.5%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatPercent(2 / 3)).toBe("66.7%");
  });

  it("renders a share of an empty total as a dash instead of dividing by zero", () => {
    expect(formatShare(3, 4)).toBe("75.0%");
    expect(formatShare(0, 0)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("uses the two largest units in words", () => {
    expect(formatDuration(72_000)).toBe("1 min 12 s");
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 30_000)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
  });

  it("drops a trailing zero unit", () => {
    expect(formatDuration(2 * 3_600_000)).toBe("2 h");
    expect(formatDuration(60_000)).toBe("1 min");
  });

  it("shows sub-second durations in milliseconds and rejects negative ones", () => {
    expect(formatDuration(450)).toBe("450 ms");
    expect(formatDuration(-1)).toBe("—");
  });

  it("measures between two dates, or a dash when one is missing", () => {
    const start = new Date("2025-11-24T01:30:00Z");
    expect(formatDurationBetween(start, new Date("2025-11-24T01:31:12Z"))).toBe("1 min 12 s");
    expect(formatDurationBetween(start, null)).toBe("—");
  });
});

describe("formatRelativeDate", () => {
  const now = new Date("2025-11-24T12:00:00Z");

  it("is relative within a day", () => {
    expect(formatRelativeDate(new Date("2025-11-24T11:59:50Z"), now)).toBe("just now");
    expect(formatRelativeDate(new Date("2025-11-24T11:48:00Z"), now)).toBe("12 min ago");
    expect(formatRelativeDate(new Date("2025-11-24T15:00:00Z"), now)).toBe("in 3 h");
    expect(formatRelativeDate(new Date("2025-11-24T09:55:00Z"), now)).toBe("2 h 5 min ago");
  });

  it("is absolute beyond a day, with the year only when it differs", () => {
    const older = new Date(2025, 10, 20, 1, 30);
    expect(formatRelativeDate(older, now)).toBe(formatAbsoluteDate(older, now));
    expect(formatAbsoluteDate(new Date(2025, 10, 24, 1, 30), now)).toBe("Mon 24 Nov, 01:30");
    expect(formatAbsoluteDate(new Date(2024, 10, 25, 1, 30), now)).toBe("Mon 25 Nov 2024, 01:30");
  });
});
