// /runs/:id — a run is shown on its case's page, with its attempts, timeline and evidence: this address sends the browser there, to that run.
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { findRunCaseId } from "@/lib/cases/queries/get-case-detail";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser();
  const runId = z.uuid().safeParse((await params).id);
  if (!runId.success) notFound();
  const caseId = await findRunCaseId(getWebDeps().db, { runId: runId.data });
  if (!caseId) notFound();
  redirect(`/cases/${caseId}#run-${runId.data}`);
}
