// Cases: every case with its OEM, our status, the CRM's status and the latest run's outcome; filters and page live in the URL.
import type { Metadata } from "next";
import { CaseFilters } from "@/components/cases/case-filters";
import { CasesDataTable } from "@/components/cases/cases-table/data-table";
import { NoCasesEmptyState, NoMatchEmptyState } from "@/components/cases/cases-table/empty-state";
import { CasesPagination } from "@/components/cases/cases-table/pagination";
import { describeCaseFilters } from "@/components/cases/describe-filters";
import { parseCaseListParams } from "@/lib/cases/queries/case-list-params";
import { getCaseList } from "@/lib/cases/queries/get-case-list";
import { getSharedDatabase } from "@/lib/db/shared";
import { formatCountOf } from "@/lib/format/number";
import { requireUser } from "@/app/_auth/require-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Cases" };

export default async function CasesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const params = parseCaseListParams(await searchParams);
  const { db } = getSharedDatabase();
  const list = await getCaseList(db, params);

  const hrefFor = (page: number) => {
    const query = new URLSearchParams();
    if (list.filters.q) query.set("q", list.filters.q);
    if (list.filters.oem) query.set("oem", list.filters.oem);
    if (list.filters.status) query.set("status", list.filters.status);
    if (page > 1) query.set("page", String(page));
    const text = query.toString();
    return text ? `/cases?${text}` : "/cases";
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h2 className="text-xl font-semibold tracking-tight">Cases</h2>
          <p className="text-sm text-muted-foreground">Every case Nightshift knows, its latest submission and what the CRM was told.</p>
        </div>
        {list.totalCases > 0 ? <p className="text-xs text-muted-foreground tabular-nums">{formatCountOf(list.totalCases, "case")} in total</p> : null}
      </div>

      {list.totalCases === 0 ? (
        <NoCasesEmptyState />
      ) : (
        <>
          <CaseFilters oems={list.oems} value={list.filters} />
          {list.rows.length === 0 ? (
            <NoMatchEmptyState summary={describeCaseFilters(list.filters, list.oems)} />
          ) : (
            <div className="flex flex-col gap-3">
              <CasesDataTable rows={list.rows} />
              <CasesPagination page={list.page} pageCount={list.pageCount} pageSize={list.pageSize} total={list.total} hrefFor={hrefFor} />
            </div>
          )}
        </>
      )}
    </div>
  );
}
