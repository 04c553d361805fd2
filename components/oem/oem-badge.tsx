import { cn } from "@/components/ui/cn";

export interface OemBadgeProps {
  /** The OEM's label, e.g. "Arden Motors". */
  label: string;
  /** Brand colour from `oems.color` (any CSS colour). It is data, so it is applied inline. */
  color: string;
  /** One to three letters; the first two are shown. */
  monogram: string;
  size?: "xs" | "sm" | "md" | "lg";
  /** Also render the label beside the mark. */
  showLabel?: boolean;
  className?: string;
}

const SIZES = {
  xs: "size-4 rounded-[4px] text-[8px]",
  sm: "size-5 rounded-[5px] text-[9px]",
  md: "size-7 rounded-md text-[11px]",
  lg: "size-10 rounded-lg text-sm",
} as const;

const LABEL_SIZES = { xs: "text-xs", sm: "text-xs", md: "text-sm", lg: "text-base" } as const;

/**
 * The OEM identity: a monogram in a rounded square filled with the brand colour. The letters
 * are white with a faint inner ring so light brand colours still read on light surfaces.
 */
export function OemBadge({ label, color, monogram, size = "md", showLabel = false, className }: OemBadgeProps) {
  const letters = monogram.trim().slice(0, 2).toUpperCase() || label.trim().slice(0, 2).toUpperCase();
  const mark = (
    <span
      data-slot="oem-badge"
      role="img"
      aria-label={label}
      title={showLabel ? undefined : label}
      style={{ backgroundColor: color }}
      className={cn(
        "inline-flex shrink-0 items-center justify-center font-semibold tracking-tight text-white shadow-xs ring-1 ring-black/10 ring-inset select-none [text-shadow:0_1px_1px_rgb(0_0_0/0.25)] dark:ring-white/15",
        SIZES[size],
        !showLabel && className,
      )}
    >
      <span aria-hidden>{letters}</span>
    </span>
  );
  if (!showLabel) return mark;
  return (
    <span data-slot="oem-badge-with-label" className={cn("inline-flex min-w-0 items-center gap-2", className)}>
      {mark}
      <span className={cn("truncate font-medium", LABEL_SIZES[size])}>{label}</span>
    </span>
  );
}
