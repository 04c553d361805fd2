"use client";

import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { OemBadge } from "@/components/oem/oem-badge";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { BatchRunRow } from "@/lib/batches/list-batch-runs";
import { formatCount } from "@/lib/format/number";
import type { BatchOemIdentity } from "./batch-detail-view";
import { BatchTime } from "./batch-time";
import { batchKeys } from "./batches-api";

const PAGE = 25;

type RunsJson = Jsonified<{ rows: BatchRunRow[]; total: number }>;

/** The batch's runs, open ones first, a page at a time; each links to its case. */
export function BatchRuns({ batchId, oems, live, settled }: { batchId: string; oems: readonly BatchOemIdentity[]; live: boolean; /** Settled runs so far: a change refetches the list (the last runs settle as the batch stops polling). */ settled: number }) {
  const [page, setPage] = useState(0);
  const runs = useQuery({
    queryKey: [...batchKeys.detail(batchId), "runs", page, settled],
    placeholderData: (previous) => previous,
    queryFn: () => fetchJson<RunsJson>(`/api/batches/${batchId}/runs?limit=${PAGE}&offset=${page * PAGE}`, { cache: "no-store", fallback: "The runs could not be loaded." }),
    refetchInterval: live ? 5_000 : false,
  });
  const total = runs.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Runs</CardTitle>
        <CardDescription>{runs.data ? `${formatCount(total)} in this batch; open ones first.` : "Loading…"}</CardDescription>
      </CardHeader>
      <CardContent>
        {!runs.data ? (
          <Skeleton className="h-64 w-full" />
        ) : (
          <>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Case</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Attempts</TableHead>
                  <TableHead className="text-right">Finished</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {runs.data.rows.map((run) => {
                  const oem = oems.find((o) => o.id === run.oemId);
                  return (
                    <TableRow key={run.runId}>
                      <TableCell>
                        <span className="flex items-center gap-2">
                          {oem ? <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" /> : null}
                          <Link href={`/cases/${run.caseId}`} className="font-medium underline-offset-4 hover:underline">
                            {run.reference}
                          </Link>
                        </span>
                      </TableCell>
                      <TableCell>
                        <RunStatusBadge status={run.status} size="sm" />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">
                        {run.attemptCount} / {run.maxAttempts}
                      </TableCell>
                      <TableCell className="text-right text-sm">
                        <BatchTime value={run.finishedAt} />
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            {pages > 1 ? (
              <div className="mt-3 flex items-center justify-between text-xs text-muted-foreground">
                <span className="tabular-nums">
                  Page {page + 1} of {pages}
                </span>
                <span className="flex gap-2">
                  <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
                    Previous
                  </Button>
                  <Button variant="outline" size="sm" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>
                    Next
                  </Button>
                </span>
              </div>
            ) : null}
          </>
        )}
      </CardContent>
    </Card>
  );
}
