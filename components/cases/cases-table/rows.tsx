import Link from "next/link";
import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { TableCell, TableRow } from "@/components/ui/table";
import type { CaseListRow } from "@/lib/cases/queries/list-cases";
import { CrmStatusBadge } from "../crm-status-badge";
import { caseKindLabel } from "../labels";
import { LastOutcome } from "./last-outcome";

function caseHref(id: string): string {
  return `/cases/${id}`;
}

function Attempts({ row }: { row: CaseListRow }) {
  const run = row.latestRun;
  if (!run || run.attemptCount === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <span title={`Attempt ${run.attemptCount} of at most ${run.maxAttempts} in the latest run`}>
      {run.attemptCount}
      <span className="text-muted-foreground"> / {run.maxAttempts}</span>
    </span>
  );
}

/**
 * One case as a table row. The reference link stretches over the whole row (so the row is one
 * click target) while the date keeps its own hover tooltip above it.
 */
export function CaseTableRow({ row }: { row: CaseListRow }) {
  return (
    <TableRow className="group relative">
      <TableCell className="py-2.5 pl-4">
        <div className="flex items-center gap-3">
          <OemBadge label={row.oem.label} color={row.oem.color} monogram={row.oem.monogram} size="md" />
          <div className="flex min-w-0 flex-col">
            <Link
              href={caseHref(row.id)}
              className="font-medium tracking-tight underline-offset-4 outline-none after:absolute after:inset-0 after:content-[''] group-hover:underline focus-visible:underline"
            >
              {row.reference}
            </Link>
            <span className="font-mono text-[11px] text-muted-foreground">{row.crmId}</span>
          </div>
        </div>
      </TableCell>
      <TableCell className="text-muted-foreground">{caseKindLabel(row.kind)}</TableCell>
      <TableCell>
        <RunStatusBadge status={row.status} size="sm" />
      </TableCell>
      <TableCell>
        <CrmStatusBadge status={row.crmStatus} />
      </TableCell>
      <TableCell className="max-w-64">
        <LastOutcome run={row.latestRun} />
      </TableCell>
      <TableCell>
        {row.confirmationNumber ? (
          <span className="font-mono text-xs">{row.confirmationNumber}</span>
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </TableCell>
      <TableCell className="text-right">
        <Attempts row={row} />
      </TableCell>
      <TableCell className="pr-4 text-right text-muted-foreground">
        <RelativeTime date={row.updatedAt} className="relative z-10" />
      </TableCell>
    </TableRow>
  );
}

/** One case as a stacked list item, for narrow screens. */
export function CaseListItem({ row }: { row: CaseListRow }) {
  return (
    <li className="relative flex gap-3 px-4 py-3 transition-colors hover:bg-muted/50">
      <OemBadge label={row.oem.label} color={row.oem.color} monogram={row.oem.monogram} size="md" className="mt-0.5" />
      <div className="flex min-w-0 flex-1 flex-col gap-1.5">
        <div className="flex items-start justify-between gap-2">
          <div className="flex min-w-0 flex-col">
            <Link href={caseHref(row.id)} className="truncate text-sm font-medium tracking-tight outline-none after:absolute after:inset-0 after:content-[''] focus-visible:underline">
              {row.reference}
            </Link>
            <span className="truncate text-xs text-muted-foreground">
              {caseKindLabel(row.kind)} · {row.oem.label}
            </span>
          </div>
          <RunStatusBadge status={row.status} size="sm" />
        </div>
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-xs">
          <LastOutcome run={row.latestRun} />
          <span className="text-muted-foreground">
            <RelativeTime date={row.updatedAt} className="relative z-10" />
          </span>
        </div>
        {row.confirmationNumber ? <span className="font-mono text-[11px] text-muted-foreground">{row.confirmationNumber}</span> : null}
      </div>
    </li>
  );
}
