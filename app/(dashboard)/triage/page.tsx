// Triage: open terminal fails grouped by fingerprint, in lanes by who fixes them; retry, reclassify or acknowledge a group.
import type { Metadata } from "next";
import { TriageBoard } from "@/components/triage/triage-board";
import { TRIAGE_PAGE_SIZE, type TriageViewJson } from "@/components/triage/triage-api";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { OEM_CATALOG } from "@/lib/oems/catalog";
import { getWebDeps } from "@/lib/server/web-deps";
import { listTriage } from "@/lib/triage/list-triage";
import { triageQuerySchema } from "@/lib/triage/summary";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Triage" };

export default async function TriagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const raw = await searchParams;
  // A filter that does not parse (an old link, a typo) is dropped, not an error page.
  const lane = triageQuerySchema.shape.lane.safeParse(raw.lane).data ?? null;
  const oem = OEM_CATALOG.find((o) => o.id === raw.oem)?.id ?? null;
  const { db, store } = getWebDeps();
  const view = await listTriage(db, { lane, oem, limit: TRIAGE_PAGE_SIZE, store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  // The client keeps it live through GET /api/triage, which answers the same shape as JSON.
  const initial = JSON.parse(JSON.stringify(view)) as TriageViewJson;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h2 className="text-xl font-semibold tracking-tight">Triage</h2>
        <p className="text-sm text-pretty text-muted-foreground">
          Terminal fails still waiting for a person, grouped by fingerprint (the same error at the same step of the same portal), in lanes by who fixes them.
        </p>
      </div>
      <TriageBoard initial={initial} filters={{ lane, oem }} oems={OEM_CATALOG} />
    </div>
  );
}
