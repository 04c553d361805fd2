import { cn } from "@/components/ui/cn";
import { getStatusMeta, type DisplayStatus } from "./status-meta";

export interface RunStatusBadgeProps {
  /** A run status or a case status. */
  status: DisplayStatus;
  /** `sm` for dense tables. */
  size?: "sm" | "default";
  /** Hide the label (icon only, label kept for screen readers). */
  iconOnly?: boolean;
  className?: string;
}

/** A run or case status: icon + label in the status colour (never colour alone). */
export function RunStatusBadge({ status, size = "default", iconOnly = false, className }: RunStatusBadgeProps) {
  const meta = getStatusMeta(status);
  const Icon = meta.icon;
  return (
    <span
      data-slot="run-status-badge"
      data-status={status}
      title={iconOnly ? meta.label : undefined}
      className={cn(
        "inline-flex w-fit shrink-0 items-center gap-1 rounded-md border font-medium whitespace-nowrap",
        size === "sm" ? "h-5 px-1.5 text-[11px]" : "h-6 px-2 text-xs",
        iconOnly && "px-1",
        meta.chipClassName,
        className,
      )}
    >
      <Icon aria-hidden className={cn(size === "sm" ? "size-3" : "size-3.5", status === "running" && "motion-safe:animate-spin")} />
      <span className={cn(iconOnly && "sr-only")}>{meta.label}</span>
    </span>
  );
}
