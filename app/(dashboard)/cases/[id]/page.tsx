// Case page: the server reads the case once (prefetch), the client keeps it live through GET /api/cases/:id while it moves.
import { cache } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { z } from "zod";
import { caseKeys } from "@/components/cases/case-detail-query";
import { CaseDetailView } from "@/components/cases/case-detail-view";
import { getQueryClient } from "@/components/query/get-query-client";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

// One read per request, shared by the metadata and the page.
const loadCase = cache(async (id: string) => {
  const caseId = z.uuid().safeParse(id);
  if (!caseId.success) return null;
  const { db, store } = getWebDeps();
  return getCaseDetail(db, { caseId: caseId.data, artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }) });
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requireUser();
  const detail = await loadCase((await params).id);
  return { title: detail ? detail.reference : "Case not found" };
}

export default async function CasePage({ params }: Props) {
  await requireUser();
  const detail = await loadCase((await params).id);
  if (!detail) notFound();
  const queryClient = getQueryClient();
  queryClient.setQueryData(caseKeys.detail(detail.id), detail);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <CaseDetailView caseId={detail.id} />
    </HydrationBoundary>
  );
}
