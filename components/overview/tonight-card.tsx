import Link from "next/link";
import { CalendarClock, MoonStar } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { NightHistory } from "@/lib/overview/get-night-history";

/** Tonight's schedule in words, in the schedule's own zone, with how long until it starts. */
export function TonightCard({ tonight, className }: { tonight: NightHistory["tonight"]; className?: string }) {
  return (
    <Card className={cn("gap-3", className)} data-testid="tonight-card">
      <CardHeader>
        <CardTitle>Tonight</CardTitle>
        <CardDescription>The nightly batch</CardDescription>
        <CardAction>
          <Link href="/settings" className="rounded-sm text-xs font-medium underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
            Schedule
          </Link>
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        <p className="flex items-start gap-2 text-sm font-medium text-pretty" data-testid="tonight-sentence">
          {tonight.running ? (
            <MoonStar aria-hidden className="mt-0.5 size-4 shrink-0 text-status-running" />
          ) : (
            <CalendarClock aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
          )}
          {tonight.sentence}
        </p>
        {tonight.nextSlot && !tonight.running ? (
          <p className="text-xs text-muted-foreground">
            Starts <RelativeTime date={tonight.nextSlot} />
          </p>
        ) : null}
        <p className="text-xs text-pretty text-muted-foreground">{tonight.detail}</p>
      </CardContent>
    </Card>
  );
}
