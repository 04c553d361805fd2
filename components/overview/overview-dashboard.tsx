"use client";

import { CloudOff } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { SPARKLINE_NIGHTS, oemSeries } from "@/lib/overview/night-figures";
import { AlertsBanner } from "./alerts-banner";
import { KpiCards } from "./kpi-cards";
import { MorningCard } from "./morning-card";
import { OemCards, type OemNights } from "./oem-cards";
import { QueueCard } from "./queue-card";
import { RunNowButton } from "./run-now-button";
import { SectionHeading } from "./section-heading";
import { StreakCard } from "./streak-card";
import { TonightCard } from "./tonight-card";
import { TrendChart } from "./trend-chart";
import { useNightHistory } from "./use-night-history";
import { useOverview } from "./use-overview";
import { WorkersCard } from "./workers-card";

/**
 * The overview's live body. For executives first: last night in words, the done-by-morning streak,
 * tonight's schedule, the trend of the nights and one card per OEM with its nights' sparkline. Then
 * for ops: a newer batch than last night's (a Run now), the queue, case counts and the workers.
 */
export function OverviewDashboard() {
  const { data: overview, isRefetchError } = useOverview();
  const { data: history } = useNightHistory(overview);
  const sparkNights = history.nights.slice(-SPARKLINE_NIGHTS);
  const nightKeys = sparkNights.map((night) => night.nightKey);
  const oemNights: Record<string, OemNights> = Object.fromEntries(overview.oems.map((oem) => [oem.id, { nightKeys, rates: oemSeries(sparkNights, oem.id) }]));
  const hero = overview.lastNight ?? overview.latestBatch;
  const newerBatch = overview.latestBatch && overview.latestBatch.id !== hero?.id ? overview.latestBatch : null;

  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h2 className="text-xl font-semibold tracking-tight">Where everything stands</h2>
          <p className="text-sm text-muted-foreground">Every case submitted, or explained, before business hours.</p>
        </div>
        <div className="flex items-center gap-3">
          <p className="flex items-center gap-1.5 text-xs text-muted-foreground" aria-live="polite">
            {isRefetchError ? (
              <span className="inline-flex items-center gap-1 text-status-retry">
                <CloudOff aria-hidden className="size-3.5" /> Could not refresh, retrying ·
              </span>
            ) : null}
            Updated <RelativeTime date={overview.generatedAt} refreshMs={5_000} />
          </p>
          <RunNowButton />
        </div>
      </div>

      <AlertsBanner alerts={overview.alerts} oems={overview.oems} />

      <section aria-label="Last night" className="grid gap-4 lg:grid-cols-3">
        <MorningCard batch={hero} now={overview.generatedAt} variant="night" timeZone={overview.timeZone} className="lg:col-span-2" />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
          <StreakCard history={history} />
          <TonightCard tonight={history.tonight} />
        </div>
      </section>

      <section aria-label="Trend">
        <TrendChart history={history} />
      </section>

      <section className="flex flex-col gap-4">
        <SectionHeading title="By OEM" description="Success per night and cases per portal, by status" />
        <OemCards oems={overview.oems} nights={oemNights} />
      </section>

      <section aria-label="Operations" className="flex flex-col gap-4">
        <SectionHeading title="Operations" description="The queue, every case and the workers filing them" />
        <div className="grid gap-4 lg:grid-cols-3">
          {newerBatch ? <MorningCard batch={newerBatch} now={overview.generatedAt} className="lg:col-span-2" /> : null}
          <QueueCard queue={overview.queue} workerCount={overview.workers.length} />
          {newerBatch ? null : (
            <div className="lg:col-span-2">
              <WorkersCard workers={overview.workers} />
            </div>
          )}
        </div>
        <KpiCards kpis={overview.kpis} />
        {newerBatch ? <WorkersCard workers={overview.workers} /> : null}
      </section>
    </div>
  );
}
