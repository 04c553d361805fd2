import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RUN_COLUMNS } from "./run-columns";

/** The runs table's shape while the server reads the database. */
export function RunsTableSkeleton({ rows = 10 }: { rows?: number }) {
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs" aria-busy="true" aria-label="Loading runs">
      <Table>
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="w-10 pl-4">
              <Skeleton className="size-4 rounded-[4px]" />
            </TableHead>
            {RUN_COLUMNS.map((column) => (
              <TableHead key={column.id} className={"className" in column ? column.className : undefined}>
                {column.label}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {Array.from({ length: rows }, (_, i) => (
            <TableRow key={i} className="hover:bg-transparent">
              <TableCell className="pl-4"><Skeleton className="size-4 rounded-[4px]" /></TableCell>
              <TableCell className="py-2.5 pl-2">
                <div className="flex items-center gap-3">
                  <Skeleton className="size-7 rounded-md" />
                  <div className="flex flex-col gap-1.5">
                    <Skeleton className="h-3.5 w-28" />
                    <Skeleton className="h-3 w-20" />
                  </div>
                </div>
              </TableCell>
              <TableCell><Skeleton className="h-5 w-24" /></TableCell>
              <TableCell><Skeleton className="ml-auto h-3.5 w-8" /></TableCell>
              <TableCell><Skeleton className="h-3.5 w-24" /></TableCell>
              <TableCell><Skeleton className="h-3.5 w-16" /></TableCell>
              <TableCell><Skeleton className="h-3.5 w-16" /></TableCell>
              <TableCell><Skeleton className="ml-auto h-3.5 w-12" /></TableCell>
              <TableCell className="pr-4"><Skeleton className="h-3.5 w-10" /></TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
