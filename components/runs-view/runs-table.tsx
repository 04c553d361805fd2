"use client";

import Link from "next/link";
import { FlaskConical } from "lucide-react";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { OemBadge } from "@/components/oem/oem-badge";
import type { Jsonified } from "@/components/query/fetch-json";
import { RelativeTime } from "@/components/relative-time";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { Checkbox } from "@/components/ui/checkbox";
import { cn } from "@/components/ui/cn";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatAbsoluteDate } from "@/lib/format/date";
import { formatDurationBetween } from "@/lib/format/duration";
import { humanize } from "@/lib/format/text";
import type { RunListItem } from "@/lib/runs/queries/get-run-list";
import { RUN_COLUMNS } from "./run-columns";

export type RunRowJson = Jsonified<RunListItem>;


export interface RunsTableProps {
  rows: RunRowJson[];
  selected: ReadonlySet<string>;
  /** Every run matching the filter is selected (the checkboxes show it, none can be unticked alone). */
  allMatching: boolean;
  onToggle: (id: string, checked: boolean) => void;
  onTogglePage: (checked: boolean) => void;
  /** Whether rows can be selected for bulk actions (not for viewers, nor in read-only mode). */
  selectable?: boolean;
}

/** The runs, one per row, each with a checkbox for bulk actions (when the viewer may act); a failed run shows its reason and screenshot. */
export function RunsTable({ rows, selected, allMatching, onToggle, onTogglePage, selectable = true }: RunsTableProps) {
  const pageSelected = rows.length > 0 && rows.every((row) => allMatching || selected.has(row.id));
  const someSelected = rows.some((row) => selected.has(row.id));
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs">
      <div className="overflow-x-auto">
        <Table>
          <TableHeader className="bg-muted/40">
            <TableRow className="hover:bg-transparent">
              {selectable ? (
                <TableHead className="w-10 pl-4">
                  <Checkbox
                    aria-label="Select every run on this page"
                    checked={pageSelected ? true : someSelected ? "indeterminate" : false}
                    disabled={allMatching}
                    onCheckedChange={(checked) => onTogglePage(checked === true)}
                  />
                </TableHead>
              ) : null}
              {RUN_COLUMNS.map((column) => (
                <TableHead key={column.id} className={cn("className" in column && column.className, !selectable && column.id === "case" && "pl-4")}>
                  {column.label}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <RunTableRow key={row.id} row={row} checked={selectable && (allMatching || selected.has(row.id))} disabled={allMatching} onToggle={onToggle} selectable={selectable} />
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}

function RunTableRow({ row, checked, disabled, onToggle, selectable }: { row: RunRowJson; checked: boolean; disabled: boolean; onToggle: (id: string, checked: boolean) => void; selectable: boolean }) {
  const failed = row.reason !== null || row.screenshotUrl !== null;
  return (
    <TableRow data-state={checked ? "selected" : undefined} data-run-id={row.id} className={cn("align-top", checked && "bg-muted/40")}>
      {selectable ? (
        <TableCell className="w-10 py-3 pl-4">
          <Checkbox aria-label={`Select the run of ${row.reference}`} checked={checked} disabled={disabled} onCheckedChange={(value) => onToggle(row.id, value === true)} />
        </TableCell>
      ) : null}
      <TableCell className={cn("max-w-[28rem] min-w-64 py-2.5", selectable ? "pl-2" : "pl-4")}>
        <div className="flex items-start gap-3">
          <OemBadge label={row.oem.label} color={row.oem.color} monogram={row.oem.monogram} size="md" className="mt-0.5" />
          <div className="flex min-w-0 flex-col gap-1">
            <span className="flex items-center gap-2">
              <Link href={`/cases/${row.caseId}`} className="font-medium tracking-tight underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none">
                {row.reference}
              </Link>
              {row.dryRun ? (
                <span className="inline-flex items-center gap-1 rounded border px-1 text-[10px] font-medium text-muted-foreground">
                  <FlaskConical aria-hidden className="size-3" /> Dry run
                </span>
              ) : null}
            </span>
            <span className="text-xs text-muted-foreground">{row.oem.label}</span>
            {failed ? (
              <div className="flex flex-col gap-1 pt-0.5">
                {row.errorClass ? <ErrorClassChip errorClass={row.errorClass} size="sm" /> : null}
                {row.reason ? <p className="line-clamp-2 text-xs text-pretty text-foreground/90">{row.reason}</p> : null}
              </div>
            ) : row.status === "retry_scheduled" && row.errorClass ? (
              <div className="flex flex-wrap items-center gap-1.5 pt-0.5 text-xs text-muted-foreground">
                <ErrorClassChip errorClass={row.errorClass} size="sm" />
                {row.nextAttemptAt ? (
                  <span>
                    next attempt <RelativeTime date={row.nextAttemptAt} />
                  </span>
                ) : null}
              </div>
            ) : null}
          </div>
        </div>
      </TableCell>
      <TableCell className="py-3">
        <RunStatusBadge status={row.status} size="sm" />
      </TableCell>
      <TableCell className="py-3 text-right tabular-nums">
        {row.attemptCount}
        <span className="text-muted-foreground"> / {row.maxAttempts}</span>
      </TableCell>
      <TableCell className="py-3 text-sm">
        {row.batchId ? (
          <Link href={`/batches/${row.batchId}`} className="underline-offset-4 hover:underline focus-visible:underline focus-visible:outline-none">
            {row.batch ? (
              <span className="flex flex-col">
                <span className="whitespace-nowrap">{BATCH_TRIGGER_LABELS[row.batch.trigger] ?? humanize(row.batch.trigger)}</span>
                <span className="text-xs whitespace-nowrap text-muted-foreground" suppressHydrationWarning>
                  {formatAbsoluteDate(new Date(row.batch.createdAt))}
                </span>
              </span>
            ) : (
              "Batch"
            )}
          </Link>
        ) : (
          <span className="text-muted-foreground">Single run</span>
        )}
      </TableCell>
      <TableCell className="py-3 text-sm whitespace-nowrap">{row.startedAt ? <RelativeTime date={row.startedAt} /> : <span className="text-muted-foreground">Not yet</span>}</TableCell>
      <TableCell className="py-3 text-sm whitespace-nowrap">{row.finishedAt ? <RelativeTime date={row.finishedAt} /> : <span className="text-muted-foreground">—</span>}</TableCell>
      <TableCell className="py-3 text-right text-sm whitespace-nowrap tabular-nums">
        {row.startedAt && row.finishedAt ? formatDurationBetween(new Date(row.startedAt), new Date(row.finishedAt)) : <span className="text-muted-foreground">—</span>}
      </TableCell>
      <TableCell className="py-2.5 pr-4">
        {row.screenshotUrl ? (
          <ScreenshotLightbox
            src={row.screenshotUrl}
            title={`Failure screenshot of ${row.reference}`}
            step={row.failingStep ? humanize(row.failingStep) : null}
            takenAt={row.finishedAt}
            size="sm"
            className="w-28"
          />
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </TableCell>
    </TableRow>
  );
}
