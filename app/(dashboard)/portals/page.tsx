// Portals: per OEM portal, success 24 h / 7 d, p95 attempt time, last failure, limit, sessions, site changes; Pause and Resume; the heals awaiting review.
import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { HealsAwaitingNotice, HealsReviewSection } from "@/components/heals/heals-review-section";
import { healHistoryKey, healKeys, mergeHealHistory } from "@/components/heals/heals-query";
import { PortalsView } from "@/components/portals/portals-view";
import { portalKeys } from "@/components/portals/portals-query";
import { getQueryClient } from "@/components/query/get-query-client";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { getSharedDatabase } from "@/lib/db/shared";
import { listHeals } from "@/lib/heals/list-heals";
import { getPortalStats } from "@/lib/portals/portal-stats";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Portals" };

export default async function PortalsPage() {
  await requireUser();
  const queryClient = getQueryClient();
  const { db } = getSharedDatabase();
  const store = getWebDeps().store;
  const artifactUrl = (key: string) => store.signedUrl(key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  await Promise.all([
    queryClient.fetchQuery({ queryKey: portalKeys.all, queryFn: () => getPortalStats(db, { credentialEnvironment: getWebDeps().integrations.portals }) }),
    queryClient.fetchQuery({ queryKey: healKeys.list("proposed"), queryFn: () => listHeals(db, { status: "proposed", artifactUrl }) }),
    queryClient.fetchQuery({
      queryKey: healHistoryKey,
      queryFn: async () => mergeHealHistory(await Promise.all((["approved", "rejected", "reverted"] as const).map((status) => listHeals(db, { status, limit: 20, artifactUrl })))),
    }),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <div className="flex flex-col gap-10">
        <div className="flex flex-col gap-4">
          <HealsAwaitingNotice />
          <PortalsView />
        </div>
        <HealsReviewSection />
      </div>
    </HydrationBoundary>
  );
}
