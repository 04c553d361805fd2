"use client";

import { CloudOff } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { AlertsBanner } from "./alerts-banner";
import { KpiCards } from "./kpi-cards";
import { MorningCard } from "./morning-card";
import { OemCards } from "./oem-cards";
import { QueueCard } from "./queue-card";
import { RunNowButton } from "./run-now-button";
import { SectionHeading } from "./section-heading";
import { useOverview } from "./use-overview";
import { WorkersCard } from "./workers-card";

/** The overview's live body: last night's batch, case KPIs, one card per OEM, workers and queue depth. */
export function OverviewDashboard() {
  const { data: overview, isRefetchError } = useOverview();
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

      <section aria-label="Latest batch" className="grid gap-4 lg:grid-cols-3">
        <MorningCard batch={overview.latestBatch} now={overview.generatedAt} className="lg:col-span-2" />
        <QueueCard queue={overview.queue} workerCount={overview.workers.length} />
      </section>

      <section aria-label="Cases">
        <KpiCards kpis={overview.kpis} />
      </section>

      <section className="flex flex-col gap-4">
        <SectionHeading title="By OEM" description="Cases per portal, by status" />
        <OemCards oems={overview.oems} />
      </section>

      <section>
        <WorkersCard workers={overview.workers} />
      </section>
    </div>
  );
}
