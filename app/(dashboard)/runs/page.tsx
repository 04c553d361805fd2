// Runs: every run newest first — filtered and keyset-paged through the URL (oem, status, errorClass, batch, from, to, q, fingerprint, cursor, limit), with bulk retry / cancel.
import type { Metadata } from "next";
import { BadFiltersState, NoRunsEmptyState } from "@/components/runs-view/runs-empty-states";
import { RunFilters } from "@/components/runs-view/run-filters";
import { RunsView, type RunListJson } from "@/components/runs-view/runs-view";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { getRunList } from "@/lib/runs/queries/get-run-list";
import { parseRunListParams } from "@/lib/runs/queries/run-list-params";
import { getWebDeps } from "@/lib/server/web-deps";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const raw = await searchParams;
  const parsed = parseRunListParams(raw);
  const header = (
    <div className="flex flex-col gap-1">
      <h2 className="text-xl font-semibold tracking-tight">Runs</h2>
      <p className="text-sm text-muted-foreground">Every submission, newest first: filter by OEM, status, error class, batch or date, and retry or cancel many at once.</p>
    </div>
  );
  if (!parsed.ok) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <BadFiltersState fields={parsed.fields} />
      </div>
    );
  }
  const { db, store } = getWebDeps();
  const list = await getRunList(db, { ...parsed.params, store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  const initial = JSON.parse(JSON.stringify(list)) as RunListJson;
  const limit = raw.limit === undefined ? null : parsed.params.limit;
  const cursor = parsed.params.cursor ? (Array.isArray(raw.cursor) ? raw.cursor[0] : raw.cursor) ?? null : null;
  return (
    <div className="flex flex-col gap-6">
      {header}
      {!list.anyRuns ? (
        <NoRunsEmptyState />
      ) : (
        <>
          <RunFilters oems={list.oems} value={list.filter} batch={initial.batch} limit={limit} />
          <RunsView initial={initial} cursor={cursor} limit={limit} />
        </>
      )}
    </div>
  );
}
