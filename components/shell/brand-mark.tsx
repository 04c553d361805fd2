import { MoonStar } from "lucide-react";
import { cn } from "@/components/ui/cn";

/** The Nightshift mark: a moon in the accent colour. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <span
      aria-hidden
      className={cn("inline-flex size-7 shrink-0 items-center justify-center rounded-lg bg-brand text-brand-foreground shadow-xs", className)}
    >
      <MoonStar className="size-4" />
    </span>
  );
}
