"use client";

import Link from "next/link";
import { CircleCheckBig, FilterX, Loader2, X } from "lucide-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/empty-state";
import { OemBadge } from "@/components/oem/oem-badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount, formatCountOf } from "@/lib/format/number";
import type { TriageLane } from "@/lib/triage/lanes";
import { LANE_META } from "./lane-meta";
import { TriageGroupCard } from "./triage-group-card";
import { fetchTriage, triageHref, triageKeys, type TriageFilters, type TriageGroupJson, type TriageViewJson } from "./triage-api";

export interface TriageOemIdentity {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

function LaneCards({ view, filters }: { view: TriageViewJson; filters: TriageFilters }) {
  return (
    <nav aria-label="Lanes" className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
      {view.lanes.map((summary) => {
        const meta = LANE_META[summary.lane];
        const Icon = meta.icon;
        const active = filters.lane === summary.lane;
        const open = summary.groups - summary.acknowledged;
        return (
          <Link
            key={summary.lane}
            href={triageHref({ ...filters, lane: active ? null : summary.lane })}
            aria-current={active ? "page" : undefined}
            className={cn(
              "group/lane flex flex-col gap-2 rounded-xl border bg-card p-4 text-card-foreground shadow-xs transition outline-none hover:border-foreground/20 focus-visible:ring-[3px] focus-visible:ring-ring/50",
              active && "border-foreground/30 ring-2 ring-ring/40",
            )}
          >
            <span className="flex items-center justify-between gap-2">
              <span className="flex items-center gap-2 text-sm font-medium">
                <span className={cn("flex size-7 items-center justify-center rounded-md border", meta.softClassName, meta.textClassName)}>
                  <Icon aria-hidden className="size-4" />
                </span>
                {meta.label}
              </span>
              {active ? (
                <span className="flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs text-muted-foreground">
                  Filtered <X aria-hidden className="size-3" />
                  <span className="sr-only">: showing only this lane; select to show every lane</span>
                </span>
              ) : null}
            </span>
            <span className="flex items-baseline gap-2">
              <span className="text-2xl font-semibold tracking-tight tabular-nums">{formatCount(summary.runs)}</span>
              <span className="text-sm text-muted-foreground">{summary.groups === 0 ? "nothing open" : `${summary.runs === 1 ? "case" : "cases"} in ${formatCountOf(summary.groups, "group")}`}</span>
            </span>
            <span className="text-xs text-muted-foreground">
              {summary.groups === 0 ? meta.classes : open === summary.groups ? meta.owner : `${formatCount(open)} open · ${formatCount(summary.acknowledged)} acknowledged`}
            </span>
          </Link>
        );
      })}
    </nav>
  );
}

function OemFilter({ oems, filters }: { oems: readonly TriageOemIdentity[]; filters: TriageFilters }) {
  const chip = (active: boolean) =>
    cn(
      "inline-flex h-8 items-center gap-2 rounded-full border px-3 text-sm transition outline-none hover:bg-accent focus-visible:ring-[3px] focus-visible:ring-ring/50",
      active ? "border-foreground/30 bg-accent font-medium" : "text-muted-foreground",
    );
  return (
    <nav aria-label="OEM" className="flex flex-wrap items-center gap-2">
      <Link href={triageHref({ ...filters, oem: null })} aria-current={filters.oem === null ? "page" : undefined} className={chip(filters.oem === null)}>
        All OEMs
      </Link>
      {oems.map((oem) => (
        <Link key={oem.id} href={triageHref({ ...filters, oem: oem.id })} aria-current={filters.oem === oem.id ? "page" : undefined} className={chip(filters.oem === oem.id)}>
          <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" />
          {oem.label}
        </Link>
      ))}
    </nav>
  );
}

/** Consecutive groups of one lane (the list is sorted by lane). */
function byLane(groups: readonly TriageGroupJson[]): Array<{ lane: TriageLane; groups: TriageGroupJson[] }> {
  const sections: Array<{ lane: TriageLane; groups: TriageGroupJson[] }> = [];
  for (const group of groups) {
    const last = sections.at(-1);
    if (last?.lane === group.lane) last.groups.push(group);
    else sections.push({ lane: group.lane, groups: [group] });
  }
  return sections;
}

/**
 * Triage, live: lane cards (also the lane filter), the OEM filter, and the groups by lane, largest
 * first with acknowledged ones last; more groups load by cursor. Polls GET /api/triage.
 */
export function TriageBoard({ initial, filters, oems }: { initial: TriageViewJson; filters: TriageFilters; oems: readonly TriageOemIdentity[] }) {
  const query = useInfiniteQuery({
    queryKey: triageKeys.list(filters),
    queryFn: ({ pageParam }) => fetchTriage(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    initialData: { pages: [initial], pageParams: [null] },
    refetchInterval: 15_000,
  });
  const pages = query.data.pages;
  const first = pages[0] ?? initial;
  const groups = pages.flatMap((p) => p.groups);
  const filtered = filters.lane !== null || filters.oem !== null;
  const oemLabel = oems.find((o) => o.id === filters.oem)?.label ?? filters.oem;

  return (
    <div className="flex flex-col gap-6">
      <LaneCards view={first} filters={filters} />
      <OemFilter oems={oems} filters={filters} />

      {groups.length === 0 ? (
        first.empty ? (
          <Card>
            <EmptyState
              className="border-none"
              icon={CircleCheckBig}
              title={oemLabel ? `Nothing to triage for ${oemLabel}` : "Nothing to triage"}
              description={capitalise(first.empty.sentence.replace(/^Nothing to triage: /, ""))}
              action={
                first.empty.lastBatch ? (
                  <Button asChild size="sm" variant="outline">
                    <Link href={`/batches/${first.empty.lastBatch.id}`}>Open the latest batch</Link>
                  </Button>
                ) : undefined
              }
            />
          </Card>
        ) : (
          <Card>
            <EmptyState
              className="border-none"
              icon={FilterX}
              title={`Nothing open in the ${filters.lane ? LANE_META[filters.lane].label : ""} lane${oemLabel ? ` for ${oemLabel}` : ""}`}
              description={`${formatCountOf(first.total.groups, "group")} ${first.total.groups === 1 ? "is" : "are"} open in the other lanes.`}
              action={
                filtered ? (
                  <Button asChild size="sm" variant="outline">
                    <Link href="/triage">Show every lane</Link>
                  </Button>
                ) : undefined
              }
            />
          </Card>
        )
      ) : (
        byLane(groups).map((section) => {
          const meta = LANE_META[section.lane];
          const summary = first.lanes.find((l) => l.lane === section.lane);
          return (
            <section key={section.lane} aria-labelledby={`lane-${section.lane}`} className="flex flex-col gap-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 id={`lane-${section.lane}`} className="flex items-center gap-2 text-sm font-semibold tracking-tight">
                  <meta.icon aria-hidden className={cn("size-4", meta.textClassName)} />
                  {meta.label}
                  <span className="font-normal text-muted-foreground">· {meta.owner}</span>
                </h3>
                {summary ? (
                  <p className="text-xs text-muted-foreground tabular-nums">
                    {formatCountOf(summary.groups, "group")} · {formatCountOf(summary.runs, "case")}
                  </p>
                ) : null}
              </div>
              <div className="flex flex-col gap-3">
                {section.groups.map((group) => (
                  <TriageGroupCard key={group.groupId} group={group} />
                ))}
              </div>
            </section>
          );
        })
      )}

      {query.hasNextPage ? (
        <div className="flex justify-center">
          <Button variant="outline" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? <Loader2 aria-hidden className="animate-spin" /> : null}
            Show more groups
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function capitalise(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

