import { getErrorClassMeta } from "@/components/runs/error-class-meta";
import { getStatusMeta } from "@/components/runs/status-meta";
import { formatAbsoluteDate } from "@/lib/format/date";
import type { RunListFilter } from "@/lib/runs/queries/run-list-params";

/** A date parameter in words: a day ("Tue 1 Dec") or an instant ("Tue 1 Dec, 01:30"). */
export function describeRunListDate(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-").map(Number) as [number, number, number];
    // The day itself, whatever the viewer's zone (a date parameter is a calendar day).
    const day = new Date(y, m - 1, d);
    const text = formatAbsoluteDate(day);
    return text.slice(0, text.lastIndexOf(","));
  }
  return formatAbsoluteDate(new Date(value));
}

/** The active filter as words: "runs for Arden Motors with status Failed or Parked, created from Tue 1 Dec". */
export function describeRunFilter(filter: RunListFilter, oems: readonly { id: string; label: string }[]): string {
  const parts: string[] = [];
  if (filter.q) parts.push(`“${filter.q}”`);
  const oem = oems.find((o) => o.id === filter.oem);
  if (filter.oem) parts.push(`for ${oem?.label ?? filter.oem}`);
  if (filter.status.length > 0) parts.push(`with status ${filter.status.map((s) => getStatusMeta(s).label).join(" or ")}`);
  if (filter.errorClass) parts.push(`failing as ${getErrorClassMeta(filter.errorClass).label.toLowerCase()}`);
  if (filter.batch) parts.push("in the chosen batch");
  if (filter.fingerprint) parts.push("in the chosen triage group");
  if (filter.from && filter.to) parts.push(`created between ${describeRunListDate(filter.from)} and ${describeRunListDate(filter.to)}`);
  else if (filter.from) parts.push(`created from ${describeRunListDate(filter.from)}`);
  else if (filter.to) parts.push(`created up to ${describeRunListDate(filter.to)}`);
  return parts.length > 0 ? `runs ${parts.join(", ")}` : "these filters";
}
