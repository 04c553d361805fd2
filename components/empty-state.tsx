import type { LucideIcon } from "lucide-react";
import { cn } from "@/components/ui/cn";

export interface EmptyStateProps {
  icon: LucideIcon;
  title: string;
  description?: React.ReactNode;
  action?: React.ReactNode;
  /** `compact` for inside small cards. */
  size?: "default" | "compact";
  className?: string;
}

/** A real empty state: what is missing, why, and what happens next. */
export function EmptyState({ icon: Icon, title, description, action, size = "default", className }: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center text-center",
        size === "compact" ? "gap-2 px-4 py-6" : "gap-3 rounded-lg border border-dashed px-6 py-10",
        className,
      )}
    >
      <span className={cn("flex items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground", size === "compact" ? "size-8" : "size-10")}>
        <Icon aria-hidden className={size === "compact" ? "size-4" : "size-5"} />
      </span>
      <div className="flex max-w-sm flex-col gap-1">
        <p className="text-sm font-medium">{title}</p>
        {description ? <div className="text-sm text-pretty text-muted-foreground">{description}</div> : null}
      </div>
      {action ? <div className="mt-1">{action}</div> : null}
    </div>
  );
}
