"use client";

import Link from "next/link";
import { Layers } from "lucide-react";
import { RunNowButton } from "@/components/overview/run-now-button";
import { useQuery } from "@tanstack/react-query";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { EmptyState } from "@/components/empty-state";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import { StatusBar } from "@/components/runs/status-bar";
import { Card } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { BatchListItem } from "@/lib/batches/list-batches";
import { OPEN_RUN_STATUSES, RUN_STATUSES, isOneOf, type RunStatus } from "@/lib/domain/vocabulary";
import { formatCount } from "@/lib/format/number";
import { humanize } from "@/lib/format/text";
import { BatchBadges } from "./batch-badges";
import { BatchTime } from "./batch-time";
import { batchKeys } from "./batches-api";

export type BatchListJson = Jsonified<{ batches: BatchListItem[]; nextCursor: string | null }>;

/** Settled runs first, then the open ones. */
const SEGMENTS: readonly RunStatus[] = [...RUN_STATUSES.filter((s) => !isOneOf(OPEN_RUN_STATUSES, s)), ...[...OPEN_RUN_STATUSES].reverse()];

const fetchBatches = () => fetchJson<BatchListJson>("/api/batches?limit=50", { cache: "no-store", fallback: "The batches could not be loaded." });

function isLive(list: BatchListJson | undefined) {
  return (list?.batches ?? []).some((b) => b.status === "running" || b.status === "planned");
}

function openOf(counts: Partial<Record<RunStatus, number>>) {
  return OPEN_RUN_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

/** Every batch, newest first, live while one runs: trigger, recipe version, progress, deadline, flags. */
export function BatchesList({ initial }: { initial: BatchListJson }) {
  const { data } = useQuery({
    queryKey: batchKeys.list(),
    queryFn: fetchBatches,
    initialData: initial,
    refetchInterval: (query) => (isLive(query.state.data) ? 5_000 : 30_000),
  });
  const batches = data.batches;
  if (batches.length === 0) {
    return (
      <Card>
        <EmptyState
          className="border-none"
          icon={Layers}
          title="No batch has run yet"
          description="The nightly batch starts at the scheduled time; Run now starts one at once."
          action={
            <RunNowButton />
          }
        />
      </Card>
    );
  }
  return (
    <Card className="py-0">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="pl-4">Batch</TableHead>
            <TableHead>Started</TableHead>
            <TableHead className="w-[28%]">Progress</TableHead>
            <TableHead>Deadline</TableHead>
            <TableHead className="pr-4 text-right">Recipe</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {batches.map((batch) => {
            const total = Object.values(batch.counts).reduce((sum, n) => sum + (n ?? 0), 0);
            const open = openOf(batch.counts);
            const settled = total - open;
            return (
              <TableRow key={batch.id} className="relative">
                <TableCell className="pl-4">
                  <div className="flex flex-col gap-1">
                    <Link href={`/batches/${batch.id}`} className="font-medium after:absolute after:inset-0 hover:underline">
                      {BATCH_TRIGGER_LABELS[batch.trigger]}
                    </Link>
                    <span className="flex flex-wrap items-center gap-1.5 text-xs text-muted-foreground">
                      {humanize(batch.status)} · by {batch.createdBy}
                      <BatchBadges flags={{ atRisk: batch.atRiskSince !== null && open > 0, late: batch.late, backfilled: batch.backfilled, dryRun: batch.dryRun, cancelled: batch.status === "cancelled" }} />
                    </span>
                    {batch.opsNote ? <span className="max-w-xs truncate text-xs text-muted-foreground italic">“{batch.opsNote}”</span> : null}
                  </div>
                </TableCell>
                <TableCell className="text-sm">
                  <BatchTime value={batch.startedAt} />
                </TableCell>
                <TableCell>
                  <div className="flex flex-col gap-1.5">
                    <StatusBar counts={batch.counts} order={SEGMENTS} />
                    <span className="text-xs text-muted-foreground tabular-nums">
                      {formatCount(settled)} of {formatCount(total)} settled
                      {open > 0 ? ` · ${formatCount(open)} open` : ""}
                      {(batch.counts.submitted ?? 0) > 0 ? ` · ${formatCount(batch.counts.submitted ?? 0)} submitted` : ""}
                    </span>
                  </div>
                </TableCell>
                <TableCell className="text-sm">
                  <BatchTime value={batch.deadline} fallback="None" />
                </TableCell>
                <TableCell className="pr-4 text-right text-sm tabular-nums text-muted-foreground">{batch.recipeVersion === null ? "defaults" : `v${batch.recipeVersion}`}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Card>
  );
}
