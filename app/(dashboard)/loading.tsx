import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The overview's shape while the server reads the database: last night, streak and tonight, the trend, the OEM cards. */
export default function OverviewLoading() {
  return (
    <div className="flex flex-col gap-8" aria-busy="true" aria-label="Loading overview">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-6 w-56" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="gap-5 p-6 lg:col-span-2">
          <Skeleton className="h-4 w-40" />
          <div className="flex items-start gap-4">
            <Skeleton className="size-11 rounded-xl" />
            <div className="flex flex-1 flex-col gap-2">
              <Skeleton className="h-7 w-64 max-w-full" />
              <Skeleton className="h-4 w-full max-w-md" />
            </div>
          </div>
          <Skeleton className="h-2.5 w-full rounded-full" />
          <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-9" />
            ))}
          </div>
        </Card>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
          <Card className="gap-3 p-4">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="h-9 w-40" />
            <Skeleton className="h-5 w-full" />
          </Card>
          <Card className="gap-3 p-4">
            <Skeleton className="h-4 w-20" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-3 w-3/4" />
          </Card>
        </div>
      </div>
      <Card className="gap-4 p-4">
        <Skeleton className="h-4 w-48" />
        <Skeleton className="h-3 w-72 max-w-full" />
        <div className="flex h-52 items-end gap-1.5">
          {Array.from({ length: 30 }, (_, i) => (
            <Skeleton key={i} className="flex-1" style={{ height: `${55 + ((i * 37) % 40)}%` }} />
          ))}
        </div>
      </Card>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Card key={i} className="gap-4 p-4">
            <div className="flex items-center gap-3">
              <Skeleton className="size-10 rounded-lg" />
              <div className="flex flex-col gap-1.5">
                <Skeleton className="h-4 w-32" />
                <Skeleton className="h-3 w-16" />
              </div>
            </div>
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-2 w-full rounded-full" />
            <Skeleton className="h-16 w-full" />
          </Card>
        ))}
      </div>
    </div>
  );
}
