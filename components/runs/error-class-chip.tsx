import { cn } from "@/components/ui/cn";
import type { ErrorClass } from "@/lib/domain/vocabulary";
import { getErrorClassMeta } from "./error-class-meta";

export interface ErrorClassChipProps {
  errorClass: ErrorClass;
  size?: "sm" | "default";
  /** Adds the class description as a native tooltip. */
  withDescription?: boolean;
  className?: string;
}

/** An error class as text + icon in its own colour (never colour alone). */
export function ErrorClassChip({ errorClass, size = "default", withDescription = true, className }: ErrorClassChipProps) {
  const meta = getErrorClassMeta(errorClass);
  const Icon = meta.icon;
  return (
    <span
      data-slot="error-class-chip"
      data-error-class={errorClass}
      title={withDescription ? meta.description : undefined}
      className={cn(
        "inline-flex w-fit shrink-0 items-center gap-1 rounded-full border font-medium whitespace-nowrap",
        size === "sm" ? "h-5 px-2 text-[11px]" : "h-6 px-2.5 text-xs",
        meta.chipClassName,
        className,
      )}
    >
      <Icon aria-hidden className={size === "sm" ? "size-3" : "size-3.5"} />
      {meta.label}
    </span>
  );
}
