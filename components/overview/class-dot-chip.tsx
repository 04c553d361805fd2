import { getErrorClassMeta } from "@/components/runs/error-class-meta";
import { cn } from "@/components/ui/cn";
import type { ErrorClass } from "@/lib/domain/vocabulary";

/**
 * An error class as text and icon in the text colour, its own colour on a dot. Used where the
 * class chip's tinted text would fall below 4.5:1 on a card in light mode (the error-class tokens
 * in app/globals.css are tuned for icons, not small text); text + icon, never colour alone.
 */
export function ClassDotChip({ errorClass, className }: { errorClass: ErrorClass; className?: string }) {
  const meta = getErrorClassMeta(errorClass);
  const Icon = meta.icon;
  return (
    <span data-slot="error-class-chip" data-error-class={errorClass} title={meta.description} className={cn("inline-flex h-5 items-center gap-1.5 rounded-full border px-2 text-[11px] font-medium whitespace-nowrap", className)}>
      <span aria-hidden className={cn("size-1.5 rounded-full", meta.fillClassName)} />
      <Icon aria-hidden className="size-3 text-muted-foreground" />
      {meta.label}
    </span>
  );
}
