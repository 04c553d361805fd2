import { Globe, LoaderCircle, PauseCircle, ShieldQuestion } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { OemBadge } from "@/components/oem/oem-badge";
import { StatusBar } from "@/components/runs/status-bar";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount, formatCountOf, formatPercent, formatShare } from "@/lib/format/number";
import { formatNight } from "@/lib/overview/night-figures";
import { Sparkline } from "./sparkline";
import { CASE_STATUSES, TERMINAL_FAIL_STATUSES, type CaseStatus } from "@/lib/domain/vocabulary";
import type { OverviewOem } from "@/lib/overview/get-overview";

/** The bar: every case status, settled first (submitted, then what waits for a person), then what is on its way. */
const SETTLED: readonly CaseStatus[] = ["submitted", ...TERMINAL_FAIL_STATUSES];
const CASE_ORDER: readonly CaseStatus[] = [...SETTLED, ...CASE_STATUSES.filter((status) => !SETTLED.includes(status))];

/** The 3 × 2 grid of counts; cases being filed right now, or held for a heal approval, are shown beside the case count instead. */
type GridStatus = Exclude<CaseStatus, "running" | "awaiting_approval">;
const GRID_STATUSES = ["submitted", "queued", "pending", "needs_review", "parked", "failed"] as const satisfies readonly GridStatus[];
// A case status added to the vocabulary but not placed on the card fails to compile here.
const everyStatusPlaced: [Exclude<GridStatus, (typeof GRID_STATUSES)[number]>] extends [never] ? true : never = true;
void everyStatusPlaced;

/** One OEM's success rate over the last nights (filed of settled, per nightly batch). */
export interface OemNights {
  nightKeys: string[];
  rates: Array<number | null>;
}

function NightsTrend({ oem, nights }: { oem: OverviewOem; nights: OemNights }) {
  const lastIndex = nights.rates.findLastIndex((rate) => rate !== null);
  const last = lastIndex >= 0 ? nights.rates[lastIndex]! : null;
  const lastKey = lastIndex >= 0 ? nights.nightKeys[lastIndex] : undefined;
  return (
    <div className="flex flex-col gap-1.5" data-testid="oem-sparkline">
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className="text-muted-foreground">Success, last {formatCount(nights.rates.length)} nights</span>
        <span className="font-medium tabular-nums">{last === null ? "—" : `${formatPercent(last)}${lastKey ? ` on ${formatNight(lastKey, { short: true })}` : ""}`}</span>
      </div>
      <Sparkline values={nights.rates} nightKeys={nights.nightKeys} label={`${oem.label}, success per night`} />
    </div>
  );
}

function OemCard({ oem, nights }: { oem: OverviewOem; nights?: OemNights }) {
  const running = oem.counts.running ?? 0;
  const awaiting = oem.counts.awaiting_approval ?? 0;
  return (
    <Card className="gap-4">
      <CardHeader className="grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 has-data-[slot=card-action]:grid-cols-[auto_1fr_auto]">
        <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="lg" className="row-span-2" />
        <CardTitle className="self-end truncate">{oem.label}</CardTitle>
        <CardDescription className="col-start-2 flex items-center gap-1.5 text-xs tabular-nums">
          {formatCountOf(oem.total, "case")}
          {running > 0 ? (
            <span className="inline-flex items-center gap-1 text-status-running">
              <span aria-hidden>·</span>
              <LoaderCircle aria-hidden className="size-3 motion-safe:animate-spin" />
              {formatCount(running)} being filed
            </span>
          ) : null}
          {awaiting > 0 ? (
            <span className="inline-flex items-center gap-1 text-status-review" title="Filled with a portal change nobody has approved yet; held before the final submit">
              <span aria-hidden>·</span>
              <ShieldQuestion aria-hidden className="size-3" />
              {formatCount(awaiting)} awaiting approval
            </span>
          ) : null}
        </CardDescription>
        {oem.pausedAt ? (
          <CardAction className="col-start-3">
            <Badge variant="outline" className="border-status-retry/30 bg-status-retry/10 text-status-retry" title={oem.pausedReason ?? "Queue paused by ops"}>
              <PauseCircle /> Paused
            </Badge>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {nights ? <NightsTrend oem={oem} nights={nights} /> : null}
        {oem.total === 0 ? (
          <p className="rounded-md bg-muted/40 px-3 py-4 text-center text-xs text-muted-foreground">No cases for this OEM yet.</p>
        ) : (
          <>
            <div className="flex flex-col gap-2">
              <div className="flex items-baseline justify-between text-xs">
                <span className="text-muted-foreground">Submitted</span>
                <span className="font-medium tabular-nums">{formatShare(oem.counts.submitted ?? 0, oem.total)}</span>
              </div>
              <StatusBar counts={oem.counts} order={CASE_ORDER} />
            </div>
            <dl className="grid grid-cols-3 gap-x-3 gap-y-2.5">
              {GRID_STATUSES.map((status) => {
                const meta = getStatusMeta(status);
                const value = oem.counts[status] ?? 0;
                const Icon = meta.icon;
                return (
                  <div key={status} className="flex min-w-0 flex-col gap-0.5">
                    <dt className="flex items-center gap-1 truncate text-[11px] text-muted-foreground">
                      <Icon aria-hidden className={cn("size-3 shrink-0", value > 0 ? meta.textClassName : "opacity-50")} />
                      {meta.label}
                    </dt>
                    <dd className={cn("text-sm font-semibold tabular-nums", value === 0 && "font-normal text-muted-foreground")}>{formatCount(value)}</dd>
                  </div>
                );
              })}
            </dl>
          </>
        )}
      </CardContent>
    </Card>
  );
}

/** One card per OEM with its badge, its nights' success sparkline and counts by case status. */
export function OemCards({ oems, nights }: { oems: OverviewOem[]; nights?: Record<string, OemNights> }) {
  if (oems.length === 0) {
    return (
      <EmptyState
        icon={Globe}
        title="No OEM portals yet"
        description="OEMs appear here once their portal adapters are registered. Each gets a card with its cases by status."
      />
    );
  }
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      {oems.map((oem) => (
        <OemCard key={oem.id} oem={oem} nights={nights?.[oem.id]} />
      ))}
    </div>
  );
}
