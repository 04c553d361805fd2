"use client";

import * as React from "react";
import { formatExactDate } from "@/lib/format/date";
import { cn } from "@/components/ui/cn";

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
const weekdayClock = new Intl.DateTimeFormat("en-US", { weekday: "short", hour: "numeric", minute: "2-digit" });

/** "7:40 AM" in the viewer's time zone ("Thu 7:40 AM" on another day), the exact instant on hover. */
export function ClockTime({ date, className }: { date: Date; className?: string }) {
  // The server renders its own zone's time; the browser's replaces it after mount.
  const [now, setNow] = React.useState<Date | null>(null);
  React.useEffect(() => setNow(new Date()), [date]);
  const reference = now ?? new Date();
  const sameDay = date.toDateString() === reference.toDateString();
  return (
    <time dateTime={date.toISOString()} title={now ? formatExactDate(date) : date.toISOString()} suppressHydrationWarning className={cn("tabular-nums", className)}>
      {(sameDay ? clock : weekdayClock).format(date)}
    </time>
  );
}
