import { Archive } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { formatAbsoluteDate, formatExactDate } from "@/lib/format/date";
import { formatCountOf } from "@/lib/format/number";

/**
 * Said where evidence links were, once retention (prune_artifacts) deleted the evidence:
 * "Evidence expired on Mon 2 Mar, 04:40 (kept 90 days)". No broken links; the date on hover is exact.
 */
export function EvidenceExpiredNote({ at, keptDays, className }: { at: Date | string; keptDays?: number | null; className?: string }) {
  const date = typeof at === "string" ? new Date(at) : at;
  return (
    <p data-slot="evidence-expired" className={cn("flex items-center gap-1.5 text-xs text-muted-foreground", className)}>
      <Archive aria-hidden className="size-3.5 shrink-0" />
      <span>
        Evidence expired on{" "}
        <time dateTime={date.toISOString()} title={formatExactDate(date)}>
          {formatAbsoluteDate(date)}
        </time>
        {keptDays ? ` (kept ${formatCountOf(keptDays, "day")})` : null}
      </span>
    </p>
  );
}
