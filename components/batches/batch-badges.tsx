import { AlarmClock, CircleSlash, FlaskConical, History, TimerOff, type LucideIcon } from "lucide-react";
import { cn } from "@/components/ui/cn";

export interface BatchFlags {
  atRisk: boolean;
  late: boolean;
  backfilled: boolean;
  dryRun: boolean;
  cancelled: boolean;
}

type Flag = keyof BatchFlags;

const FLAG_META: Record<Flag, { label: string; title: string; icon: LucideIcon; className: string }> = {
  atRisk: { label: "At risk", title: "At this pace the batch finishes after its deadline.", icon: AlarmClock, className: "text-status-retry bg-status-retry/10 border-status-retry/25" },
  late: { label: "Late", title: "Started after its deadline had already passed (no worker was up).", icon: TimerOff, className: "text-status-failed bg-status-failed/10 border-status-failed/25" },
  backfilled: { label: "Backfilled", title: "Started after its slot, when a worker came back, before the deadline.", icon: History, className: "text-status-running bg-status-running/10 border-status-running/25" },
  dryRun: { label: "Dry run", title: "Every step up to the final submit; nothing was filed.", icon: FlaskConical, className: "text-status-queued bg-status-queued/10 border-status-queued/25" },
  cancelled: { label: "Cancelled", title: "Stopped by a person; its open cases went back to pending.", icon: CircleSlash, className: "text-status-cancelled bg-status-cancelled/10 border-status-cancelled/25" },
};

const ORDER: readonly Flag[] = ["atRisk", "late", "backfilled", "dryRun", "cancelled"];

/** The batch's flags as chips (text + icon, never colour alone). */
export function BatchBadges({ flags, className }: { flags: BatchFlags; className?: string }) {
  const shown = ORDER.filter((flag) => flags[flag]);
  if (shown.length === 0) return null;
  return (
    <span className={cn("flex flex-wrap items-center gap-1.5", className)}>
      {shown.map((flag) => {
        const meta = FLAG_META[flag];
        const Icon = meta.icon;
        return (
          <span key={flag} title={meta.title} className={cn("inline-flex h-5 items-center gap-1 rounded-md border px-1.5 text-[11px] font-medium", meta.className)}>
            <Icon aria-hidden className="size-3" />
            {meta.label}
          </span>
        );
      })}
    </span>
  );
}
