import { cn } from "@/components/ui/cn";
import { formatCount, formatShare } from "@/lib/format/number";
import { getStatusMeta, type DisplayStatus } from "./status-meta";

export interface StatusBarProps<S extends DisplayStatus> {
  /** Counts by status. */
  counts: Partial<Record<S, number>>;
  /** Order of the segments; statuses not listed are appended. */
  order: readonly S[];
  className?: string;
}

/** A stacked bar of counts by status, in the status colours. Labelled for screen readers. */
export function StatusBar<S extends DisplayStatus>({ counts, order, className }: StatusBarProps<S>) {
  const keys = [...order, ...(Object.keys(counts) as S[]).filter((key) => !order.includes(key))];
  const segments = keys.map((status) => ({ status, count: counts[status] ?? 0 })).filter((segment) => segment.count > 0);
  const total = segments.reduce((sum, segment) => sum + segment.count, 0);
  const summary = total === 0 ? "No cases" : segments.map((s) => `${getStatusMeta(s.status).label}: ${formatCount(s.count)}`).join(", ");
  return (
    <div role="img" aria-label={summary} className={cn("flex h-2 w-full gap-px overflow-hidden rounded-full bg-muted", className)}>
      {segments.map((segment) => (
        <div
          key={segment.status}
          title={`${getStatusMeta(segment.status).label}: ${formatCount(segment.count)} (${formatShare(segment.count, total)})`}
          className={cn("h-full first:rounded-l-full last:rounded-r-full", getStatusMeta(segment.status).fillClassName)}
          style={{ width: `${(segment.count / total) * 100}%` }}
        />
      ))}
    </div>
  );
}
