import { CasesTableSkeleton } from "@/components/cases/cases-table/skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The cases list's shape while the server reads the database. */
export default function CasesLoading() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-6 w-24" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-8 w-full sm:w-72" />
        <Skeleton className="h-8 w-20" />
        <Skeleton className="h-8 w-24" />
      </div>
      <CasesTableSkeleton />
    </div>
  );
}
