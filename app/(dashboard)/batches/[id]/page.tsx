// One batch: live progress against its deadline, by OEM, its parameters, runs and morning digest.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { BatchDetailView, type BatchDetailJson } from "@/components/batches/batch-detail-view";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { OEM_CATALOG } from "@/lib/oems/catalog";
import { getBatchDetail } from "@/lib/overview/get-batch-detail";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Batch" };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const { db, store } = getWebDeps();
  const detail = await getBatchDetail(db, { batchId: id.data, store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  if (!detail) notFound();
  return <BatchDetailView initial={JSON.parse(JSON.stringify(detail)) as BatchDetailJson} oems={OEM_CATALOG} />;
}
