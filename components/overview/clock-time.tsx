"use client";

import * as React from "react";
import { formatExactDate } from "@/lib/format/date";
import { clockIn } from "@/lib/overview/morning-verdict";
import { cn } from "@/components/ui/cn";

const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
const weekdayClock = new Intl.DateTimeFormat("en-US", { weekday: "short", hour: "numeric", minute: "2-digit" });

/**
 * "7:40 AM" in the viewer's time zone ("Thu 7:40 AM" on another day), the exact instant on hover.
 * With `timeZone` it is said in that zone with its name ("7:00 AM CST"): the schedule's zone, the
 * one the night's words use.
 */
export function ClockTime({ date, timeZone, className }: { date: Date; timeZone?: string; className?: string }) {
  // The server renders its own zone's time; the browser's replaces it after mount.
  const [now, setNow] = React.useState<Date | null>(null);
  React.useEffect(() => setNow(new Date()), [date]);
  const reference = now ?? new Date();
  const sameDay = date.toDateString() === reference.toDateString();
  const text = timeZone ? clockIn(date, timeZone, { zone: true }) : (sameDay ? clock : weekdayClock).format(date);
  return (
    <time dateTime={date.toISOString()} title={now ? formatExactDate(date) : date.toISOString()} suppressHydrationWarning className={cn("tabular-nums", className)}>
      {text}
    </time>
  );
}
