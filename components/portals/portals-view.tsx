"use client";

import { CloudOff, Globe } from "lucide-react";
import { useSuspenseQuery } from "@tanstack/react-query";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { formatCount } from "@/lib/format/number";
import { PortalCard } from "./portal-card";
import { fetchPortalStats, portalKeys, portalsRefetchInterval } from "./portals-query";

/** Every portal's card, prefetched by the server page and kept live (fast while sessions are open). */
export function PortalsView() {
  const { data, isRefetchError } = useSuspenseQuery({
    queryKey: portalKeys.all,
    queryFn: fetchPortalStats,
    refetchInterval: (query) => portalsRefetchInterval(query.state.data),
    refetchIntervalInBackground: false,
  });
  const paused = data.portals.filter((portal) => portal.pausedAt !== null).length;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h2 className="text-xl font-semibold tracking-tight">Portals</h2>
          <p className="text-sm text-pretty text-muted-foreground">
            How each OEM portal is doing. Success counts attempts: of the attempts that ended in the window, the share that filed (attempts a lost worker interrupted are left out).
          </p>
        </div>
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground" aria-live="polite">
          {isRefetchError ? (
            <span className="inline-flex items-center gap-1 text-status-retry">
              <CloudOff aria-hidden className="size-3.5" /> Could not refresh, retrying ·
            </span>
          ) : null}
          {paused > 0 ? `${formatCount(paused)} paused · ` : ""}
          Limits from {data.recipeVersion === null ? "the default recipe" : `recipe v${data.recipeVersion}`} · Updated <RelativeTime date={data.generatedAt} refreshMs={5_000} />
        </p>
      </div>
      {data.portals.length === 0 ? (
        <EmptyState icon={Globe} title="No OEM portals yet" description="Portals appear here once their adapters are registered and the app has started once." />
      ) : (
        <div className="grid gap-4 xl:grid-cols-2">
          {data.portals.map((portal) => (
            <PortalCard key={portal.id} portal={portal} />
          ))}
        </div>
      )}
    </div>
  );
}
