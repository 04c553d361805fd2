// Batches: every batch (nightly, Run now, urgent) with live progress; Run now starts one.
import type { Metadata } from "next";
import { BatchesList, type BatchListJson } from "@/components/batches/batches-list";
import { RunNowButton } from "@/components/overview/run-now-button";
import { listBatches } from "@/lib/batches/list-batches";
import { getSharedDatabase } from "@/lib/db/shared";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Batches" };

export default async function BatchesPage() {
  await requireUser();
  const list = await listBatches(getSharedDatabase().db, { limit: 50 });
  // The client keeps it live through GET /api/batches, which answers the same shape as JSON.
  const initial = JSON.parse(JSON.stringify(list)) as BatchListJson;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h2 className="text-xl font-semibold tracking-tight">Batches</h2>
          <p className="text-sm text-muted-foreground">Each night&apos;s batch and every Run now: what it filed, how it is going, whether it made the deadline.</p>
        </div>
        <RunNowButton />
      </div>
      <BatchesList initial={initial} />
    </div>
  );
}
