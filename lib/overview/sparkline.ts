/**
 * Sparkline geometry for a series of rates (0..1) with gaps (null: no figure that night). Pure:
 * the component only draws what this returns.
 */

export interface SparklinePoint {
  /** Index in the series (the night). */
  index: number;
  value: number;
  x: number;
  y: number;
}

export interface Sparkline {
  /** Runs of consecutive points; a gap (null) ends a segment. */
  segments: SparklinePoint[][];
  /** The newest point that has a value. */
  last: SparklinePoint | null;
  /** The lowest point (the worst night); null without values. */
  lowest: SparklinePoint | null;
  /** The value domain the y axis spans. */
  domain: [number, number];
}

export interface SparklineBox {
  width: number;
  height: number;
  /** Space kept free around the line so dots are not clipped. */
  padding?: number;
}

/**
 * The y domain of a success-rate sparkline: up to 100 %, down to the lowest value less 5 points,
 * rounded down to a tenth, and never narrower than 80–100 % (a 99.1 % vs 99.4 % wobble is not a dip).
 */
export function rateDomain(values: ReadonlyArray<number | null>): [number, number] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return [0.8, 1];
  const lowest = Math.min(...present);
  const floor = Math.floor((lowest - 0.05) * 10) / 10;
  return [Math.max(0, Math.min(0.8, floor)), 1];
}

/** Points of the series in the box: x evenly spread over every slot (gaps keep their place), y by the rate domain. */
export function sparkline(values: ReadonlyArray<number | null>, box: SparklineBox): Sparkline {
  const padding = box.padding ?? 2;
  const domain = rateDomain(values);
  const [lo, hi] = domain;
  const innerW = Math.max(0, box.width - 2 * padding);
  const innerH = Math.max(0, box.height - 2 * padding);
  const step = values.length > 1 ? innerW / (values.length - 1) : 0;
  const segments: SparklinePoint[][] = [];
  let current: SparklinePoint[] = [];
  let last: SparklinePoint | null = null;
  let lowest: SparklinePoint | null = null;
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) segments.push(current);
      current = [];
      return;
    }
    const clamped = Math.min(hi, Math.max(lo, value));
    const point: SparklinePoint = {
      index,
      value,
      x: round(padding + (values.length > 1 ? index * step : innerW / 2)),
      y: round(padding + (hi === lo ? innerH / 2 : ((hi - clamped) / (hi - lo)) * innerH)),
    };
    current.push(point);
    last = point;
    if (!lowest || value < lowest.value) lowest = point;
  });
  if (current.length > 0) segments.push(current);
  return { segments, last, lowest, domain };
}

/** An SVG path for one segment ("M x y L x y …"); a single point is drawn as a dot by the caller. */
export function segmentPath(segment: readonly SparklinePoint[]): string {
  return segment.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ");
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
