// Overview: the server reads it once (prefetch), the client keeps it live through GET /api/overview and GET /api/overview/history.
import type { Metadata } from "next";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { OverviewDashboard } from "@/components/overview/overview-dashboard";
import { overviewKeys } from "@/components/overview/overview-query";
import { getQueryClient } from "@/components/query/get-query-client";
import { getSharedDatabase } from "@/lib/db/shared";
import { getNightHistory } from "@/lib/overview/get-night-history";
import { getOverview } from "@/lib/overview/get-overview";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requireUser();
  const queryClient = getQueryClient();
  const { db } = getSharedDatabase();
  // fetchQuery (not prefetchQuery) so a database failure reaches the error boundary, as before.
  await Promise.all([
    queryClient.fetchQuery({ queryKey: overviewKeys.all, queryFn: () => getOverview(db) }),
    queryClient.fetchQuery({ queryKey: overviewKeys.history(), queryFn: () => getNightHistory(db) }),
  ]);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <OverviewDashboard />
    </HydrationBoundary>
  );
}
