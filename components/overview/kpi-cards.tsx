import { CircleCheck, Files, Hourglass, TriangleAlert, type LucideIcon } from "lucide-react";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount, formatShare } from "@/lib/format/number";
import { TERMINAL_FAIL_STATUSES } from "@/lib/domain/vocabulary";
import type { OverviewKpis } from "@/lib/overview/get-overview";

function KpiCard({ label, value, icon: Icon, iconClassName, children }: { label: string; value: number; icon: LucideIcon; iconClassName?: string; children: React.ReactNode }) {
  return (
    <Card className="gap-2 px-4 py-4">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm text-muted-foreground">{label}</span>
        <Icon aria-hidden className={cn("size-4 text-muted-foreground", iconClassName)} />
      </div>
      <p className="text-3xl font-semibold tracking-tight tabular-nums">{formatCount(value)}</p>
      <div className="min-h-4 text-xs text-muted-foreground tabular-nums">{children}</div>
    </Card>
  );
}

/** Cases total, submitted, in progress, needs attention. */
export function KpiCards({ kpis }: { kpis: OverviewKpis }) {
  const attention = TERMINAL_FAIL_STATUSES.filter((status) => (kpis.byStatus[status] ?? 0) > 0);
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <KpiCard label="Cases" value={kpis.total} icon={Files}>
        {kpis.total === 0 ? "No cases received yet" : "All cases Nightshift knows"}
      </KpiCard>
      <KpiCard label="Submitted" value={kpis.submitted} icon={CircleCheck} iconClassName={kpis.submitted > 0 ? "text-status-submitted" : undefined}>
        {kpis.total === 0 ? "—" : `${formatShare(kpis.submitted, kpis.total)} of all cases`}
      </KpiCard>
      <KpiCard label="In progress" value={kpis.inProgress} icon={Hourglass} iconClassName={kpis.inProgress > 0 ? "text-status-running" : undefined}>
        {kpis.total === 0 ? "—" : `${formatCount(kpis.byStatus.queued ?? 0)} queued · ${formatCount(kpis.byStatus.pending ?? 0)} pending`}
      </KpiCard>
      <KpiCard label="Needs attention" value={kpis.needsAttention} icon={TriangleAlert} iconClassName={kpis.needsAttention > 0 ? "text-status-failed" : undefined}>
        {attention.length === 0 ? (
          kpis.total === 0 ? "—" : "Nothing waiting on a person"
        ) : (
          <span className="flex flex-wrap gap-x-2.5 gap-y-0.5">
            {attention.map((status) => {
              const meta = getStatusMeta(status);
              return (
                <span key={status} className="inline-flex items-center gap-1">
                  <span aria-hidden className={cn("size-1.5 rounded-full", meta.fillClassName)} />
                  {formatCount(kpis.byStatus[status] ?? 0)} {meta.label.toLowerCase()}
                </span>
              );
            })}
          </span>
        )}
      </KpiCard>
    </div>
  );
}
