// Overview: last night's batch, case KPIs, one card per OEM, workers and queue depth.
import type { Metadata } from "next";
import { AlertsBanner } from "@/components/overview/alerts-banner";
import { AutoRefresh } from "@/components/overview/auto-refresh";
import { KpiCards } from "@/components/overview/kpi-cards";
import { MorningCard } from "@/components/overview/morning-card";
import { OemCards } from "@/components/overview/oem-cards";
import { QueueCard } from "@/components/overview/queue-card";
import { RunNowButton } from "@/components/overview/run-now-button";
import { SectionHeading } from "@/components/overview/section-heading";
import { WorkersCard } from "@/components/overview/workers-card";
import { RelativeTime } from "@/components/relative-time";
import { getSharedDatabase } from "@/lib/db/shared";
import { getOverview } from "@/lib/overview/get-overview";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { db } = getSharedDatabase();
  const overview = await getOverview(db);
  return (
    <div className="flex flex-col gap-8">
      <AutoRefresh />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h2 className="text-xl font-semibold tracking-tight">Where everything stands</h2>
          <p className="text-sm text-muted-foreground">Every case submitted, or explained, before business hours.</p>
        </div>
        <div className="flex items-center gap-3">
          <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
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
