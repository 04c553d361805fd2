import { getStatusMeta } from "@/components/runs/status-meta";
import type { CaseListStatus } from "@/lib/cases/case-list-statuses";
import type { CaseListOem } from "@/lib/cases/queries/list-cases";

/** The active filters as words: "“NS-99” for Arden Motors with status Failed". */
export function describeCaseFilters(filters: { q: string | null; oem: string | null; status: CaseListStatus | null }, oems: CaseListOem[]): string {
  const parts: string[] = [];
  if (filters.q) parts.push(`“${filters.q}”`);
  const oem = oems.find((o) => o.id === filters.oem);
  if (oem) parts.push(`${parts.length > 0 ? "for " : "cases for "}${oem.label}`);
  if (filters.status) parts.push(`${parts.length > 0 ? "with status " : "cases with status "}${getStatusMeta(filters.status).label}`);
  return parts.join(" ") || "these filters";
}
