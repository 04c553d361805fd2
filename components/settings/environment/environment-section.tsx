"use client";

import { CircleCheck, CircleMinus, CircleX, RefreshCw, Stethoscope, TriangleAlert, type LucideIcon } from "lucide-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorState } from "@/components/error-state";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CheckStatus } from "@/lib/doctor/types";
import { environmentKeys, fetchDoctorReport, type DoctorReport } from "./environment-api";

const STATUS_META: Record<CheckStatus, { label: string; icon: LucideIcon; className: string }> = {
  ok: { label: "OK", icon: CircleCheck, className: "bg-status-submitted/10 text-status-submitted" },
  warn: { label: "Warning", icon: TriangleAlert, className: "bg-status-retry/10 text-status-retry" },
  fail: { label: "Failed", icon: CircleX, className: "bg-status-failed/10 text-status-failed" },
  skip: { label: "Not used", icon: CircleMinus, className: "bg-muted text-muted-foreground" },
};

function StatusChip({ status }: { status: CheckStatus }) {
  const meta = STATUS_META[status];
  const Icon = meta.icon;
  return (
    <span className={cn("inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap", meta.className)}>
      <Icon aria-hidden className="size-3.5" />
      {meta.label}
    </span>
  );
}

function summary(report: DoctorReport): string {
  const count = (status: CheckStatus) => report.checks.filter((c) => c.status === status).length;
  const failed = count("fail");
  const warned = count("warn");
  if (failed > 0) return `${failed} of ${report.checks.length} checks failed${warned ? `, ${warned} with a warning` : ""}.`;
  if (warned > 0) return `Every check passed; ${warned} with a warning.`;
  return "Every check passed.";
}

/** Settings → Environment: the doctor's report for this environment (the same checks as `npm run doctor`). */
export function EnvironmentSection() {
  const client = useQueryClient();
  const [refreshing, setRefreshing] = useState(false);
  const report = useQuery({ queryKey: environmentKeys.doctor, queryFn: () => fetchDoctorReport(), staleTime: 30_000 });
  const refresh = async () => {
    setRefreshing(true);
    try {
      client.setQueryData(environmentKeys.doctor, await fetchDoctorReport(true));
    } catch {
      await report.refetch();
    } finally {
      setRefreshing(false);
    }
  };
  return (
    <Card role="region" aria-labelledby="environment-title">
      <CardHeader>
        <CardTitle id="environment-title" className="flex items-center gap-2">
          <Stethoscope aria-hidden className="size-4 text-muted-foreground" />
          Environment
        </CardTitle>
        <CardDescription>
          {report.data ? (
            <>
              {summary(report.data)} Checked <RelativeTime date={report.data.checkedAt} />. The same checks run with <code className="font-mono text-xs">npm run doctor</code>.
            </>
          ) : (
            "Whether this environment can do its night's work: database, CRM, portals, browser, secrets."
          )}
        </CardDescription>
        <CardAction>
          <Button variant="outline" size="sm" onClick={() => void refresh()} disabled={refreshing || report.isFetching}>
            <RefreshCw aria-hidden className={cn(refreshing && "animate-spin")} /> Check again
          </Button>
        </CardAction>
      </CardHeader>
      <CardContent className="px-0">
        {report.data ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-28 pl-6">Status</TableHead>
                <TableHead className="w-56">Check</TableHead>
                <TableHead className="pr-6">What was found</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.data.checks.map((check) => (
                <TableRow key={check.id} data-check={check.id} data-status={check.status}>
                  <TableCell className="pl-6 align-top">
                    <StatusChip status={check.status} />
                  </TableCell>
                  <TableCell className="align-top font-medium">{check.label}</TableCell>
                  <TableCell className="pr-6 align-top whitespace-normal">
                    <p className="text-sm text-pretty">{check.sentence}</p>
                    {check.fix && (check.status === "fail" || check.status === "warn") ? <p className="mt-1 text-xs text-pretty text-muted-foreground">How to fix: {check.fix}</p> : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : report.error ? (
          <div className="px-6">
            <ErrorState title="The environment report could not be loaded" error={report.error} reset={() => void report.refetch()} />
          </div>
        ) : (
          <div className="flex flex-col gap-2 px-6">
            {Array.from({ length: 5 }, (_, i) => (
              <Skeleton key={i} className="h-10 w-full" />
            ))}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
