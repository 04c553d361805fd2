import Link from "next/link";
import { CircleCheck, CircleX, Newspaper } from "lucide-react";
import { OemBadge } from "@/components/oem/oem-badge";
import type { Jsonified } from "@/components/query/fetch-json";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { DigestView } from "@/lib/overview/get-batch-detail";
import type { DigestOwner } from "@/lib/domain/vocabulary";
import { formatCount } from "@/lib/format/number";
import type { BatchOemIdentity } from "./batch-detail-view";

const OWNER_META: Record<DigestOwner, { label: string; className: string }> = {
  ops: { label: "Ops: correct the data in the CRM", className: "text-status-review bg-status-review/10 border-status-review/25" },
  engineering: { label: "Engineering: fix the adapter", className: "text-status-parked bg-status-parked/10 border-status-parked/25" },
  admin: { label: "Admin: check the portal credentials", className: "text-status-failed bg-status-failed/10 border-status-failed/25" },
};

/** The morning digest: one sentence, the counts, and each group of terminal fails with who must act. */
export function DigestCard({ digest, oems }: { digest: Jsonified<DigestView>; oems: readonly BatchOemIdentity[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Newspaper aria-hidden className="size-4 text-muted-foreground" />
          Morning digest
        </CardTitle>
        <CardDescription className="flex items-start gap-2 text-base text-foreground">
          {digest.metSla ? <CircleCheck aria-hidden className="mt-1 size-4 shrink-0 text-status-submitted" /> : <CircleX aria-hidden className="mt-1 size-4 shrink-0 text-status-failed" />}
          <span className="text-pretty">{digest.headline}</span>
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
          {(
            [
              ["Eligible", digest.eligible],
              ["Submitted", digest.submitted],
              ["Need a person", digest.terminalFails],
              ["Unfinished", digest.unfinished],
              ["Cancelled", digest.cancelled],
            ] as const
          ).map(([label, value]) => (
            <div key={label} className="flex flex-col gap-0.5 rounded-md border px-3 py-2">
              <dt className="text-xs text-muted-foreground">{label}</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatCount(value)}</dd>
            </div>
          ))}
        </dl>
        {digest.groups.length === 0 ? (
          <p className="text-sm text-muted-foreground">No terminal fails: nobody has to act.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {digest.groups.map((group) => {
              const oem = oems.find((o) => o.id === group.oemId);
              const first = group.runs.find((r) => r.failure?.screenshotUrl);
              return (
                <li key={`${group.oemId}:${group.fingerprint}`} className="flex flex-col gap-3 rounded-lg border p-4 sm:flex-row sm:items-start">
                  <div className="flex min-w-0 flex-1 flex-col gap-2">
                    <div className="flex flex-wrap items-center gap-2">
                      {oem ? <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="sm" showLabel /> : <span className="text-sm">{group.oemId}</span>}
                      {group.errorClass ? <ErrorClassChip errorClass={group.errorClass} size="sm" withDescription={false} /> : null}
                      {group.errorCode ? <code className="rounded-md border bg-muted/50 px-1.5 py-0.5 font-mono text-xs text-muted-foreground">{group.errorCode}</code> : null}
                      <span className="text-sm font-medium tabular-nums">× {formatCount(group.count)}</span>
                    </div>
                    {group.runs[0]?.failure ? <p className="text-sm text-pretty">{group.runs[0].failure.reason}</p> : null}
                    <span className={cn("inline-flex w-fit items-center rounded-md border px-2 py-0.5 text-xs font-medium", OWNER_META[group.owner].className)}>{OWNER_META[group.owner].label}</span>
                    <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
                      {group.runs.slice(0, 12).map((run) => (
                        <Link key={run.runId} href={`/cases/${run.caseId}`} className="font-medium underline-offset-4 hover:underline">
                          {run.reference}
                        </Link>
                      ))}
                      {group.runs.length > 12 ? <span className="text-muted-foreground">and {formatCount(group.runs.length - 12)} more</span> : null}
                    </p>
                  </div>
                  {first?.failure?.screenshotUrl ? (
                    <ScreenshotLightbox src={first.failure.screenshotUrl} title={`Failure screenshot, ${first.reference}`} step={first.failure.failingStep} takenAt={null} size="sm" />
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
