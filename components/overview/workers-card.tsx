import { Server } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCount } from "@/lib/format/number";
import type { LiveWorker } from "@/lib/workers/heartbeats";

/** Live workers: a heartbeat within the last 60 seconds. */
export function WorkersCard({ workers }: { workers: LiveWorker[] }) {
  const capacity = workers.reduce((sum, worker) => sum + worker.concurrency, 0);
  return (
    <Card className="gap-3">
      <CardHeader>
        <CardTitle>Workers</CardTitle>
        <CardDescription>Processes with a heartbeat in the last minute</CardDescription>
        {workers.length > 0 ? (
          <CardAction className="flex items-center gap-2 text-xs text-muted-foreground tabular-nums">
            <span className="relative flex size-2">
              <span className="absolute inline-flex size-full rounded-full bg-status-submitted opacity-60 motion-safe:animate-ping" />
              <span className="relative inline-flex size-2 rounded-full bg-status-submitted" />
            </span>
            {formatCount(workers.length)} live · {formatCount(capacity)} slots
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className={workers.length > 0 ? "px-2" : undefined}>
        {workers.length === 0 ? (
          <EmptyState
            size="compact"
            icon={Server}
            title="No worker is running"
            description="Runs wait in the queue until a worker process is up. The launcher starts one with the app."
          />
        ) : (
          <Table>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-3">Host</TableHead>
                <TableHead className="hidden text-right sm:table-cell">PID</TableHead>
                <TableHead className="text-right">Concurrency</TableHead>
                <TableHead className="hidden pl-6 md:table-cell">Started</TableHead>
                <TableHead className="pr-3">Last beat</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {workers.map((worker) => (
                <TableRow key={worker.id}>
                  <TableCell className="pl-3 font-medium">
                    <span className="flex items-center gap-2">
                      <span aria-hidden className="size-1.5 rounded-full bg-status-submitted" />
                      {worker.host}
                    </span>
                  </TableCell>
                  <TableCell className="hidden text-right font-mono text-xs text-muted-foreground sm:table-cell">{worker.pid}</TableCell>
                  <TableCell className="text-right">{formatCount(worker.concurrency)}</TableCell>
                  <TableCell className="hidden pl-6 text-muted-foreground md:table-cell">
                    <RelativeTime date={worker.startedAt} />
                  </TableCell>
                  <TableCell className="pr-3 text-muted-foreground">
                    <RelativeTime date={worker.lastSeenAt} refreshMs={5_000} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
