const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS = [
  { ms: DAY, label: "d" },
  { ms: HOUR, label: "h" },
  { ms: MINUTE, label: "min" },
  { ms: SECOND, label: "s" },
] as const;

/**
 * A duration in words, to the two largest non-zero units: 72_000 → "1 min 12 s",
 * 7_500_000 → "2 h 5 min", 450 → "450 ms". Negative or non-finite input renders as "—".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  let rest = Math.floor(ms / SECOND) * SECOND;
  const parts: string[] = [];
  for (const unit of UNITS) {
    const amount = Math.floor(rest / unit.ms);
    rest -= amount * unit.ms;
    if (amount > 0 || parts.length > 0) parts.push(`${amount} ${unit.label}`);
    if (parts.length === 2) break;
  }
  // Drop a trailing zero unit ("2 h 0 min" → "2 h").
  if (parts.length === 2 && parts[1]?.startsWith("0 ")) parts.pop();
  return parts.join(" ");
}

/** The duration between two instants, or "—" when either is missing. */
export function formatDurationBetween(start: Date | null | undefined, end: Date | null | undefined): string {
  if (!start || !end) return "—";
  return formatDuration(end.getTime() - start.getTime());
}
