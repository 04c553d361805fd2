import { Flame } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import type { NightHistory } from "@/lib/overview/get-night-history";
import { formatNight } from "@/lib/overview/night-figures";

const DOT_NIGHTS = 14;

/** The done-by-morning streak, and the last 14 nights as met / missed / no batch / still going. */
export function StreakCard({ history, className }: { history: NightHistory; className?: string }) {
  const { streak } = history;
  const nights = history.nights.slice(-DOT_NIGHTS);
  return (
    <Card className={cn("gap-3", className)} data-testid="streak-card">
      <CardHeader>
        <CardTitle>Done by morning</CardTitle>
        <CardDescription>Nights in a row with every case submitted or explained before the deadline</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex items-center gap-3">
          <span className={cn("flex size-10 items-center justify-center rounded-xl", streak.nights > 0 ? "bg-status-submitted/10 text-status-submitted" : "bg-muted text-muted-foreground")}>
            <Flame aria-hidden className="size-5" />
          </span>
          <p className="flex items-baseline gap-1.5" data-testid="streak">
            <span className="text-3xl font-semibold tracking-tight tabular-nums">{formatCount(streak.nights)}</span>
            <span className="text-sm text-muted-foreground">{streak.nights === 1 ? "night in a row" : "nights in a row"}</span>
          </p>
        </div>
        <ol className="flex items-end gap-1" aria-label={`The last ${nights.length} nights`}>
          {nights.map((night) => {
            const state = night.batchId === null ? "none" : night.metSla === true ? "met" : night.metSla === false ? "missed" : "open";
            const words = { none: "no batch", met: "done by morning", missed: "missed the morning", open: "not judged yet" }[state];
            return (
              <li
                key={night.nightKey}
                title={`${formatNight(night.nightKey)}: ${words}`}
                className={cn(
                  "h-5 flex-1 rounded-[3px]",
                  state === "met" && "bg-status-submitted",
                  state === "missed" && "bg-status-failed",
                  state === "open" && "border border-dashed border-status-running bg-status-running/15",
                  state === "none" && "bg-muted",
                )}
              >
                <span className="sr-only">{`${formatNight(night.nightKey)}: ${words}`}</span>
              </li>
            );
          })}
        </ol>
        <p className="text-xs text-pretty text-muted-foreground">
          {streak.nights > 0 && streak.sinceNightKey ? `Every night since ${formatNight(streak.sinceNightKey)}.` : "The streak starts with the next night done by morning."}
          {streak.lastMissNightKey ? ` Last missed on ${formatNight(streak.lastMissNightKey)}.` : ""}
          {streak.tonightPending ? " Tonight counts once its digest is in." : ""}
        </p>
      </CardContent>
    </Card>
  );
}
