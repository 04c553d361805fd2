import { ShieldAlert } from "lucide-react";
import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { Breadcrumbs } from "@/components/shell/breadcrumbs";
import { RunNowButton } from "@/components/overview/run-now-button";
import type { CaseListStatus } from "@/lib/cases/case-list-statuses";
import { TERMINAL_FAIL_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import type { CaseDetail } from "@/lib/cases/queries/get-case-detail";
import { caseKindLabel } from "./labels";

/** Breadcrumbs back to the list, then the case's identity: OEM, reference, kind, status. */
export function CaseHeader({ detail, status }: { detail: CaseDetail; status: CaseListStatus }) {
  return (
    <div className="flex flex-col gap-4">
      <Breadcrumbs items={[{ label: "Cases", href: "/cases" }, { label: detail.oem.label, href: `/cases?oem=${encodeURIComponent(detail.oem.id)}` }, { label: detail.reference }]} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex min-w-0 items-center gap-4">
          <OemBadge label={detail.oem.label} color={detail.oem.color} monogram={detail.oem.monogram} size="lg" />
          <div className="flex min-w-0 flex-col gap-1">
            <div className="flex flex-wrap items-center gap-2">
              <h2 className="text-xl font-semibold tracking-tight">{detail.reference}</h2>
              <RunStatusBadge status={status} />
              {detail.redactionSensitive ? (
                <span
                  title="Contact details are masked here and in screenshots"
                  className="inline-flex h-6 items-center gap-1 rounded-md border border-status-parked/25 bg-status-parked/10 px-2 text-xs font-medium text-status-parked"
                >
                  <ShieldAlert aria-hidden className="size-3.5" /> Redaction-sensitive
                </span>
              ) : null}
            </div>
            <p className="text-sm text-muted-foreground">
              {caseKindLabel(detail.kind)} for {detail.oem.label} · updated <RelativeTime date={detail.updatedAt} />
            </p>
          </div>
        </div>
        {status === "pending" || isOneOf(TERMINAL_FAIL_STATUSES, status) ? (
          <RunNowButton variant="outline" href={`/batches/new?caseId=${encodeURIComponent(detail.id)}`} />
        ) : null}
        {detail.confirmationNumber ? (
          <div className="flex flex-col items-start gap-0.5 rounded-lg border bg-card px-3 py-2 shadow-xs sm:items-end">
            <span className="text-[11px] text-muted-foreground">Confirmation number</span>
            <span className="font-mono text-sm font-semibold tracking-tight">{detail.confirmationNumber}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
