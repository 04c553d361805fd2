import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CaseListRow } from "@/lib/cases/queries/list-cases";
import { CaseListItem, CaseTableRow } from "./rows";

export const CASE_COLUMNS = [
  { id: "case", label: "Case", className: "pl-4" },
  { id: "kind", label: "Kind" },
  { id: "status", label: "Status" },
  { id: "crm", label: "CRM status" },
  { id: "outcome", label: "Last outcome" },
  { id: "confirmation", label: "Confirmation" },
  { id: "attempts", label: "Attempts", className: "text-right" },
  { id: "updated", label: "Updated", className: "pr-4 text-right" },
] as const;

/** The cases list: a table on wide screens, a stacked list on narrow ones. */
export function CasesDataTable({ rows }: { rows: CaseListRow[] }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs">
      <div className="hidden md:block">
        <Table>
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              {CASE_COLUMNS.map((column) => (
                <TableHead key={column.id} className={"className" in column ? column.className : undefined}>
                  {column.label}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <CaseTableRow key={row.id} row={row} />
            ))}
          </TableBody>
        </Table>
      </div>
      <ul className="divide-y md:hidden">
        {rows.map((row) => (
          <CaseListItem key={row.id} row={row} />
        ))}
      </ul>
    </div>
  );
}
