import { CircleCheck, LoaderCircle } from "lucide-react";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import type { CaseListRun } from "@/lib/cases/queries/list-cases";

/** What the latest run ended in: "Submitted", or the error class and code of its last failure. */
export function LastOutcome({ run }: { run: CaseListRun | null }) {
  if (!run) return <span className="text-muted-foreground">Not run yet</span>;
  if (run.status === "submitted") {
    return (
      <span className="inline-flex items-center gap-1.5 text-status-submitted">
        <CircleCheck aria-hidden className="size-3.5" />
        <span className="text-foreground">Submitted</span>
      </span>
    );
  }
  if (run.errorClass) {
    return (
      <span className="inline-flex min-w-0 items-center gap-2">
        <ErrorClassChip errorClass={run.errorClass} size="sm" />
        {run.errorCode ? <code className="truncate font-mono text-[11px] text-muted-foreground">{run.errorCode}</code> : null}
      </span>
    );
  }
  if (run.status === "running" || run.status === "queued") {
    return (
      <span className="inline-flex items-center gap-1.5 text-muted-foreground">
        {run.status === "running" ? <LoaderCircle aria-hidden className="size-3.5 motion-safe:animate-spin" /> : null}
        {run.status === "running" ? "In progress" : "Waiting for a worker"}
      </span>
    );
  }
  return <span className="text-muted-foreground">—</span>;
}
