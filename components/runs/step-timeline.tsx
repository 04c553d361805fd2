import { ChevronRight, CircleCheck, CircleX } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { formatDuration } from "@/lib/format/duration";
import type { StepRecord } from "@/lib/domain/types";
import { humanize } from "@/lib/format/text";

/** Step durations read better with a decimal under ten seconds ("1.4 s"). */
function formatStepDuration(ms: number): string {
  if (ms >= 1000 && ms < 10_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  return formatDuration(ms);
}

/**
 * An attempt's named steps as a compact timeline: name, ok/failed icon and duration, in order.
 * `running` adds a trailing "…" step while the attempt is still going.
 */
export function StepTimeline({ steps, running = false, className }: { steps: StepRecord[]; running?: boolean; className?: string }) {
  if (steps.length === 0) return <p className={cn("text-xs text-muted-foreground", className)}>{running ? "Starting…" : "No steps recorded."}</p>;
  return (
    <ol aria-label="Steps" className={cn("flex flex-wrap items-center gap-x-1 gap-y-1.5", className)}>
      {steps.map((step, index) => {
        const failed = step.status === "failed";
        const Icon = failed ? CircleX : CircleCheck;
        return (
          <li key={`${step.name}-${index}`} className="flex items-center gap-1">
            {index > 0 ? <ChevronRight aria-hidden className="size-3 text-muted-foreground" /> : null}
            <span
              title={`${humanize(step.name)}: ${failed ? "failed" : "ok"} after ${formatStepDuration(step.durationMs)}`}
              className={cn(
                "inline-flex h-6 items-center gap-1.5 rounded-md border px-2 text-xs whitespace-nowrap",
                failed ? "border-status-failed/30 bg-status-failed/10 text-status-failed" : "bg-muted/40",
              )}
            >
              <Icon aria-hidden className={cn("size-3.5", failed ? "text-status-failed" : "text-status-submitted")} />
              <span className={cn("font-medium", !failed && "text-foreground")}>{humanize(step.name)}</span>
              <span className={cn("tabular-nums", failed ? "text-status-failed" : "text-muted-foreground")}>{formatStepDuration(step.durationMs)}</span>
              <span className="sr-only">{failed ? "(failed)" : "(ok)"}</span>
            </span>
          </li>
        );
      })}
      {running ? (
        <li className="flex items-center gap-1">
          <ChevronRight aria-hidden className="size-3 text-muted-foreground" />
          <span className="inline-flex h-6 items-center rounded-md border border-dashed px-2 text-xs text-muted-foreground">…</span>
        </li>
      ) : null}
    </ol>
  );
}
