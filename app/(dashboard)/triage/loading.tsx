import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The triage page's shape while the server groups the failures. */
export default function TriageLoading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true" aria-label="Loading triage">
      <div className="flex flex-col gap-2">
        <Skeleton className="h-6 w-24" />
        <Skeleton className="h-4 w-[36rem] max-w-full" />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <Card key={i} className="gap-3 p-4">
            <Skeleton className="h-7 w-36" />
            <Skeleton className="h-7 w-28" />
            <Skeleton className="h-3 w-44" />
          </Card>
        ))}
      </div>
      <div className="flex gap-2">
        {Array.from({ length: 4 }, (_, i) => (
          <Skeleton key={i} className="h-8 w-28 rounded-full" />
        ))}
      </div>
      <div className="flex flex-col gap-3">
        <Skeleton className="h-4 w-64" />
        {Array.from({ length: 3 }, (_, i) => (
          <Card key={i} className="grid gap-5 p-5 md:grid-cols-[minmax(0,1fr)_16rem]">
            <div className="flex flex-col gap-3">
              <div className="flex gap-2">
                <Skeleton className="h-5 w-32" />
                <Skeleton className="h-5 w-24 rounded-full" />
              </div>
              <Skeleton className="h-5 w-full max-w-lg" />
              <div className="grid grid-cols-4 gap-4">
                {Array.from({ length: 4 }, (_, j) => (
                  <Skeleton key={j} className="h-9" />
                ))}
              </div>
              <div className="flex gap-2">
                <Skeleton className="h-8 w-28" />
                <Skeleton className="h-8 w-28" />
                <Skeleton className="h-8 w-28" />
              </div>
            </div>
            <Skeleton className="aspect-[16/10] w-full rounded-lg" />
          </Card>
        ))}
      </div>
    </div>
  );
}
