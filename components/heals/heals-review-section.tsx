"use client";

import { ArrowDown, CloudOff, Hourglass, ShieldCheck } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCountOf } from "@/lib/format/number";
import { HealCard } from "./heal-card";
import { HealHistory } from "./heal-history";
import { fetchHealHistory, fetchHeals, healHistoryKey, healKeys, HEALS_REFETCH_MS } from "./heals-query";

/**
 * The review queue on the Portals page: proposals awaiting a person (Approve / Reject), then the
 * last decided ones (Revert on approved). Prefetched by the server page, kept live.
 */
export function HealsReviewSection() {
  const proposed = useQuery({ queryKey: healKeys.list("proposed"), queryFn: () => fetchHeals("proposed"), refetchInterval: HEALS_REFETCH_MS });
  const history = useQuery({ queryKey: healHistoryKey, queryFn: fetchHealHistory, refetchInterval: HEALS_REFETCH_MS });
  const waiting = proposed.data?.reduce((n, heal) => n + heal.waitingRuns, 0) ?? 0;
  return (
    <section className="flex flex-col gap-4" aria-labelledby="heals-review-heading">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h2 id="heals-review-heading" className="text-xl font-semibold tracking-tight">
            Heals awaiting review
          </h2>
          <p className="max-w-3xl text-sm text-pretty text-muted-foreground">
            When a portal changed, Nightshift found its elements another way and stopped before the final submit. Approve a change to make it the portal&apos;s current resolution and submit the runs waiting for it; reject it to park them for engineering.
          </p>
        </div>
        {proposed.data && proposed.data.length > 0 ? (
          <p className="text-xs text-muted-foreground" aria-live="polite">
            {formatCountOf(proposed.data.length, "proposal")} · {formatCountOf(waiting, "run")} waiting
          </p>
        ) : null}
      </div>
      {proposed.isError ? (
        <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
          <CloudOff aria-hidden className="size-4" /> {proposed.error.message}
        </p>
      ) : !proposed.data ? (
        <Skeleton className="h-48 w-full" />
      ) : proposed.data.length === 0 ? (
        <EmptyState icon={ShieldCheck} title="Nothing to review" description="No portal change is waiting for a person. Runs that meet a changed page stop before submitting and appear here." />
      ) : (
        <div className="flex flex-col gap-4">
          {proposed.data.map((heal) => (
            <HealCard key={heal.id} heal={heal} />
          ))}
        </div>
      )}
      {history.data && history.data.length > 0 ? (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold tracking-tight">Recently decided</h3>
          <HealHistory heals={history.data} />
        </div>
      ) : null}
    </section>
  );
}

/** A line above the portal cards while proposals wait, linking down to the review queue (shares its query: no extra request). */
export function HealsAwaitingNotice() {
  const proposed = useQuery({ queryKey: healKeys.list("proposed"), queryFn: () => fetchHeals("proposed"), refetchInterval: HEALS_REFETCH_MS });
  const count = proposed.data?.length ?? 0;
  if (count === 0) return null;
  const waiting = proposed.data?.reduce((n, heal) => n + heal.waitingRuns, 0) ?? 0;
  return (
    <a
      href="#heals-review-heading"
      className="flex items-center gap-2 rounded-lg border border-status-retry/40 bg-status-retry/5 px-3 py-2 text-sm transition-colors hover:bg-status-retry/10 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
      data-testid="heals-awaiting-notice"
    >
      <Hourglass aria-hidden className="size-4 shrink-0 text-status-retry" />
      <span className="min-w-0 flex-1 text-pretty">
        <span className="font-medium">{formatCountOf(count, "portal change")} awaiting review</span>
        {waiting > 0 ? ` · ${formatCountOf(waiting, "run")} held before submitting until someone decides` : ""}
      </span>
      <span className="inline-flex shrink-0 items-center gap-1 font-medium">
        Review <ArrowDown aria-hidden className="size-3.5" />
      </span>
    </a>
  );
}
