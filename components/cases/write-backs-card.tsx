import { ArrowUpRight, CircleCheck, CircleX, Clock, MessageSquareText, Send, type LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { CaseDetailWriteBack } from "@/lib/cases/queries/get-case-detail";
import type { OutboxStatus } from "@/lib/domain/vocabulary";
import { formatCountOf } from "@/lib/format/number";
import { humanize } from "@/lib/format/text";
import { crmStatusLabel } from "./labels";

const DELIVERY: Record<OutboxStatus, { label: string; icon: LucideIcon; className: string }> = {
  delivered: { label: "Delivered", icon: CircleCheck, className: "text-status-submitted bg-status-submitted/10 border-status-submitted/25" },
  pending: { label: "Pending", icon: Clock, className: "text-status-retry bg-status-retry/10 border-status-retry/25" },
  failed: { label: "Failed", icon: CircleX, className: "text-status-failed bg-status-failed/10 border-status-failed/25" },
};

function DeliveryBadge({ status }: { status: OutboxStatus }) {
  const meta = Object.hasOwn(DELIVERY, status) ? DELIVERY[status] : { ...DELIVERY.pending, label: humanize(status) };
  const Icon = meta.icon;
  return (
    <span className={cn("inline-flex h-5 shrink-0 items-center gap-1 rounded-md border px-1.5 text-[11px] font-medium", meta.className)}>
      <Icon aria-hidden className="size-3" />
      {meta.label}
    </span>
  );
}

function WriteBack({ entry }: { entry: CaseDetailWriteBack }) {
  const isStatus = entry.kind === "status";
  const Icon = isStatus ? ArrowUpRight : MessageSquareText;
  return (
    <li className="flex gap-3 py-3 first:pt-0 last:pb-0">
      <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-md border bg-muted/50 text-muted-foreground">
        <Icon aria-hidden className="size-3.5" />
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <div className="flex items-start justify-between gap-2">
          <p className="text-sm font-medium">
            {isStatus ? (
              <>
                Status set to {entry.crmStatus ? crmStatusLabel(entry.crmStatus).toLowerCase() : "—"}
                {entry.confirmationNumber ? <span className="ml-1.5 font-mono text-xs font-normal text-muted-foreground">{entry.confirmationNumber}</span> : null}
              </>
            ) : (
              "Failure note added"
            )}
          </p>
          <DeliveryBadge status={entry.status} />
        </div>
        <p className="text-xs text-muted-foreground tabular-nums">
          {entry.deliveredAt ? (
            <>
              Delivered <RelativeTime date={entry.deliveredAt} />
            </>
          ) : (
            <>
              Queued <RelativeTime date={entry.createdAt} />
            </>
          )}
          {" · "}
          {formatCountOf(entry.deliveryAttempts, "attempt")}
        </p>
        {entry.lastError && entry.status !== "delivered" ? <p className="text-xs text-pretty text-status-failed">{entry.lastError}</p> : null}
      </div>
    </li>
  );
}

/** The outbox entries of the case: what the CRM was told, and whether it has heard. */
export function WriteBacksCard({ entries }: { entries: CaseDetailWriteBack[] }) {
  const delivered = entries.filter((entry) => entry.status === "delivered").length;
  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>CRM write-backs</CardTitle>
        <CardDescription className="text-xs">
          {entries.length === 0 ? "Nothing to tell the CRM yet" : `${delivered} of ${formatCountOf(entries.length, "update")} delivered`}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {entries.length === 0 ? (
          <EmptyState icon={Send} size="compact" title="No write-backs yet" description="When a run ends, its outcome is queued here and delivered to the CRM exactly once." />
        ) : (
          <ul className="divide-y">
            {entries.map((entry) => (
              <WriteBack key={entry.id} entry={entry} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
