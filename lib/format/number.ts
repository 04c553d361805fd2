/**
 * Number formatting for the dashboard. A fixed locale keeps server and browser output identical
 * (no hydration mismatch) and matches the product's English copy.
 */
const LOCALE = "en-US";

const countFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(LOCALE, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A count with thousands separators: 12345 → "12,345". Non-finite input renders as "—". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return countFormat.format(Math.round(value));
}

/** A ratio (0..1) as a percentage with one decimal: 0.875 → "87.5%". */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "—";
  return percentFormat.format(ratio);
}

/** `part` of `total` as a percentage with one decimal; "—" when there is no total. */
export function formatShare(part: number, total: number): string {
  if (total <= 0) return "—";
  return formatPercent(part / total);
}

/** "1 case", "1,204 cases"; pass `plural` for irregular nouns. */
export function formatCountOf(value: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}
