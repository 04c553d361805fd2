import { CircleCheck, CircleX, LoaderCircle, ShieldQuestion, Unplug, type LucideIcon } from "lucide-react";
import { cn } from "@/components/ui/cn";
import type { AttemptStatus } from "@/lib/domain/vocabulary";
import { humanize } from "@/lib/format/text";

const ATTEMPT_META: Record<AttemptStatus, { label: string; icon: LucideIcon; className: string }> = {
  succeeded: { label: "Succeeded", icon: CircleCheck, className: "text-status-submitted bg-status-submitted/10 border-status-submitted/25" },
  failed: { label: "Failed", icon: CircleX, className: "text-status-failed bg-status-failed/10 border-status-failed/25" },
  interrupted: { label: "Interrupted", icon: Unplug, className: "text-status-cancelled bg-status-cancelled/10 border-status-cancelled/25" },
  held: { label: "Held for approval", icon: ShieldQuestion, className: "text-status-review bg-status-review/10 border-status-review/25" },
  running: { label: "Running", icon: LoaderCircle, className: "text-status-running bg-status-running/10 border-status-running/25" },
};

/** An attempt's status (succeeded, failed, interrupted, running): icon + label in the status colour. */
export function AttemptStatusBadge({ status, className }: { status: AttemptStatus; className?: string }) {
  // A value older code wrote and the vocabulary no longer knows renders neutrally.
  const meta = Object.hasOwn(ATTEMPT_META, status) ? ATTEMPT_META[status] : { label: humanize(status), icon: CircleX, className: "text-muted-foreground bg-muted border-border" };
  const Icon = meta.icon;
  return (
    <span
      data-slot="attempt-status-badge"
      data-status={status}
      className={cn("inline-flex h-5 w-fit shrink-0 items-center gap-1 rounded-md border px-1.5 text-[11px] font-medium whitespace-nowrap", meta.className, className)}
    >
      <Icon aria-hidden className={cn("size-3", status === "running" && "motion-safe:animate-spin")} />
      {meta.label}
    </span>
  );
}
