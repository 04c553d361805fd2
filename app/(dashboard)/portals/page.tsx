// Portals: per OEM portal, success 24 h / 7 d, p95 attempt time, last failure, limit, sessions, site changes; Pause and Resume.
import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { PortalsView } from "@/components/portals/portals-view";
import { portalKeys } from "@/components/portals/portals-query";
import { getQueryClient } from "@/components/query/get-query-client";
import { getSharedDatabase } from "@/lib/db/shared";
import { getPortalStats } from "@/lib/portals/portal-stats";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Portals" };

export default async function PortalsPage() {
  await requireUser();
  const queryClient = getQueryClient();
  await queryClient.fetchQuery({ queryKey: portalKeys.all, queryFn: () => getPortalStats(getSharedDatabase().db, { credentialEnvironment: getWebDeps().integrations.portals }) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PortalsView />
    </HydrationBoundary>
  );
}
