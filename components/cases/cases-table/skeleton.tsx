import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CASE_COLUMNS } from "./data-table";

/** The cases table's shape while the server reads the database. */
export function CasesTableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs" aria-busy="true" aria-label="Loading cases">
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
            {Array.from({ length: rows }, (_, i) => (
              <TableRow key={i} className="hover:bg-transparent">
                <TableCell className="py-2.5 pl-4">
                  <div className="flex items-center gap-3">
                    <Skeleton className="size-7 rounded-md" />
                    <div className="flex flex-col gap-1.5">
                      <Skeleton className="h-3.5 w-28" />
                      <Skeleton className="h-3 w-20" />
                    </div>
                  </div>
                </TableCell>
                <TableCell><Skeleton className="h-3.5 w-28" /></TableCell>
                <TableCell><Skeleton className="h-5 w-24" /></TableCell>
                <TableCell><Skeleton className="h-5 w-20" /></TableCell>
                <TableCell><Skeleton className="h-5 w-36" /></TableCell>
                <TableCell><Skeleton className="h-3.5 w-24" /></TableCell>
                <TableCell><Skeleton className="ml-auto h-3.5 w-8" /></TableCell>
                <TableCell className="pr-4"><Skeleton className="ml-auto h-3.5 w-16" /></TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <ul className="divide-y md:hidden">
        {Array.from({ length: Math.min(rows, 6) }, (_, i) => (
          <li key={i} className="flex gap-3 px-4 py-3">
            <Skeleton className="size-7 rounded-md" />
            <div className="flex flex-1 flex-col gap-2">
              <div className="flex justify-between gap-2">
                <Skeleton className="h-4 w-28" />
                <Skeleton className="h-5 w-20" />
              </div>
              <Skeleton className="h-3 w-40" />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
