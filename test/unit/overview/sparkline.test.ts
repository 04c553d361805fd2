import { describe, expect, it } from "vitest";
import { rateDomain, segmentPath, sparkline } from "@/lib/overview/sparkline";

describe("rateDomain", () => {
  it("spans at least 80–100 % so a wobble near 100 % is not drawn as a dip", () => {
    expect(rateDomain([0.99, 0.995, 1])).toEqual([0.8, 1]);
    expect(rateDomain([])).toEqual([0.8, 1]);
  });

  it("reaches down past a real dip, to a tenth", () => {
    expect(rateDomain([1, 0.62, null, 0.97])).toEqual([0.5, 1]);
    expect(rateDomain([0.02])).toEqual([0, 1]);
  });
});

describe("sparkline", () => {
  it("spreads every night evenly, keeps the place of a gap and splits the line there", () => {
    const line = sparkline([1, 0.9, null, 0.8, 1], { width: 104, height: 24, padding: 2 });
    expect(line.domain).toEqual([0.7, 1]);
    expect(line.segments.map((segment) => segment.map((p) => p.index))).toEqual([
      [0, 1],
      [3, 4],
    ]);
    // x: 2 + i × 25; y: 100 % at the top (2), 70 % at the bottom (22).
    expect(line.segments[0]![0]).toMatchObject({ x: 2, y: 2 });
    expect(line.segments[1]![0]).toMatchObject({ x: 77, y: 15.33 });
    expect(line.last).toMatchObject({ index: 4, x: 102, y: 2 });
    expect(line.lowest).toMatchObject({ index: 3, value: 0.8 });
    expect(segmentPath(line.segments[0]!)).toBe("M2 2 L27 8.67");
  });

  it("has no line and no last point when no night has a figure, and centres a single night", () => {
    expect(sparkline([null, null], { width: 100, height: 20 })).toMatchObject({ segments: [], last: null, lowest: null });
    expect(sparkline([0.9], { width: 100, height: 20, padding: 0 }).last).toMatchObject({ x: 50 });
  });
});
