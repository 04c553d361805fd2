import { RunsTableSkeleton } from "@/components/runs-view/runs-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The runs view's shape while the server reads the database. */
export default function RunsLoading() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-6 w-20" />
        <Skeleton className="h-4 w-[28rem] max-w-full" />
      </div>
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-8 w-full sm:w-64" />
        <Skeleton className="h-8 w-20" />
        <Skeleton className="h-8 w-24" />
        <Skeleton className="h-8 w-28" />
        <Skeleton className="h-8 w-80" />
      </div>
      <Skeleton className="h-5 w-40" />
      <RunsTableSkeleton />
    </div>
  );
}
