import { Clock, CircleDashed, Inbox, LoaderCircle } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount } from "@/lib/format/number";
import type { Overview } from "@/lib/overview/get-overview";

function Row({ icon: Icon, label, value, iconClassName }: { icon: typeof Clock; label: string; value: number; iconClassName: string }) {
  return (
    <li className="flex items-center justify-between gap-2 py-2 text-sm">
      <span className="flex items-center gap-2 text-muted-foreground">
        <Icon aria-hidden className={cn("size-4", value > 0 ? iconClassName : "opacity-50")} />
        {label}
      </span>
      <span className={cn("font-medium tabular-nums", value === 0 && "text-muted-foreground")}>{formatCount(value)}</span>
    </li>
  );
}

/** Queue depth from our runs table: queued + retry scheduled (never graphile_worker's tables). */
export function QueueCard({ queue, workerCount, className }: { queue: Overview["queue"]; workerCount: number; className?: string }) {
  const idle = queue.depth === 0 && queue.running === 0;
  return (
    <Card className={cn("gap-4", className)}>
      <CardHeader>
        <CardTitle>Queue depth</CardTitle>
        <CardDescription>Runs waiting for a worker</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-1 flex-col gap-3">
        <div className="flex items-baseline gap-2">
          <span className="text-4xl font-semibold tracking-tight tabular-nums">{formatCount(queue.depth)}</span>
          <span className="text-sm text-muted-foreground">{queue.depth === 1 ? "run waiting" : "runs waiting"}</span>
        </div>
        <ul className="divide-y border-y">
          <Row icon={CircleDashed} label="Queued" value={queue.queued} iconClassName="text-status-queued" />
          <Row icon={Clock} label="Retry scheduled" value={queue.retryScheduled} iconClassName="text-status-retry" />
          <Row icon={LoaderCircle} label="Running now" value={queue.running} iconClassName="text-status-running" />
        </ul>
        <p className="mt-auto flex items-start gap-2 text-xs text-pretty text-muted-foreground">
          <Inbox aria-hidden className="mt-px size-3.5 shrink-0" />
          {idle
            ? "Nothing is waiting. New cases are picked up by the next batch."
            : workerCount === 0
              ? "Runs are waiting but no worker is live: they start when one comes up."
              : `${formatCount(workerCount)} live ${workerCount === 1 ? "worker is" : "workers are"} draining the queue.`}
        </p>
      </CardContent>
    </Card>
  );
}
