"use client";

import * as React from "react";
import { formatExactDate, formatRelativeDate } from "@/lib/format/date";
import { Tooltip, TooltipContent, TooltipProvider, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/components/ui/cn";

export interface RelativeTimeProps {
  /** A Date or an ISO string. */
  date: Date | string;
  /** Re-render interval in ms so "12 min ago" stays true; 0 disables ticking. */
  refreshMs?: number;
  className?: string;
}

/** The browser's clock, ticking every `refreshMs`; read afresh whenever `date` changes (live data), so a just-fetched time never reads "in a moment". */
function useNow(refreshMs: number, date: number): Date | null {
  const [now, setNow] = React.useState<Date | null>(null);
  React.useEffect(() => {
    setNow(new Date());
    if (refreshMs <= 0) return;
    const id = window.setInterval(() => setNow(new Date()), refreshMs);
    return () => window.clearInterval(id);
  }, [refreshMs, date]);
  return now;
}

/**
 * A date shown relative when recent ("12 min ago") and absolute when older, in the viewer's
 * time zone, with the exact timestamp on hover. The server renders its own best guess; the
 * browser replaces it after mount (hence suppressHydrationWarning on the text).
 */
export function RelativeTime({ date, refreshMs = 30_000, className }: RelativeTimeProps) {
  const value = typeof date === "string" ? new Date(date) : date;
  const now = useNow(refreshMs, value.getTime());
  if (Number.isNaN(value.getTime())) return <span className={cn("text-muted-foreground", className)}>—</span>;
  const iso = value.toISOString();
  return (
    <TooltipProvider>
      <Tooltip>
        <TooltipTrigger asChild>
          <time
            dateTime={iso}
            tabIndex={0}
            suppressHydrationWarning
            className={cn("cursor-default rounded-sm tabular-nums underline-offset-4 decoration-dotted decoration-muted-foreground/40 hover:underline focus-visible:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring", className)}
          >
            {formatRelativeDate(value, now ?? new Date())}
          </time>
        </TooltipTrigger>
        <TooltipContent side="top" className="flex flex-col items-start gap-0.5">
          <span suppressHydrationWarning>{now ? formatExactDate(value) : iso}</span>
          <span className="font-mono text-[10px] opacity-70">{iso}</span>
        </TooltipContent>
      </Tooltip>
    </TooltipProvider>
  );
}
