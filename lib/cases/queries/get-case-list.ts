import { asc, count } from "drizzle-orm";
import { cases, oems } from "@/drizzle/schema";
import type { Database } from "@/lib/db/client";
import type { CaseListParams } from "./case-list-params";
import { CASE_LIST_PAGE_SIZE, type CaseListStatus } from "../case-list-statuses";
import { listCases, type CaseList, type CaseListOem } from "./list-cases";

export interface CaseListPage extends CaseList {
  /** The filters actually applied (an unknown OEM is dropped). */
  filters: { q: string | null; oem: string | null; status: CaseListStatus | null };
  pageCount: number;
  /** Every OEM, for the filter menu. */
  oems: CaseListOem[];
  /** Cases in the database, whatever the filters (tells "no cases yet" from "no match"). */
  totalCases: number;
}

/** Everything the `/cases` page shows: the filtered page of cases, OEM options and totals. */
export async function getCaseList(db: Database, params: CaseListParams): Promise<CaseListPage> {
  const [oemRows, [all]] = await Promise.all([
    db.select({ id: oems.id, label: oems.label, color: oems.color, monogram: oems.monogram }).from(oems).orderBy(asc(oems.label)),
    db.select({ total: count() }).from(cases),
  ]);
  const oem = params.oem && oemRows.some((row) => row.id === params.oem) ? params.oem : null;
  const filters = { q: params.q ?? null, oem, status: params.status ?? null };
  const pageSize = CASE_LIST_PAGE_SIZE;
  let list = await listCases(db, { ...filters, page: params.page ?? 1, pageSize });
  const pageCount = Math.max(1, Math.ceil(list.total / pageSize));
  // A page past the end (a stale link) shows the last page instead of an empty table.
  if (list.rows.length === 0 && list.page > pageCount) list = await listCases(db, { ...filters, page: pageCount, pageSize });
  return { ...list, filters, pageCount, oems: oemRows, totalCases: all?.total ?? 0 };
}
