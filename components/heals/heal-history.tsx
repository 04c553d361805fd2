import { CircleCheck, CircleX, Undo2 } from "lucide-react";
import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import type { HealStatus } from "@/lib/healing/records";
import type { HealView } from "@/lib/heals/list-heals";
import { HealActionButton } from "./heal-actions";
import { ProposerBadge } from "./heal-card";

const STATUS: Record<Exclude<HealStatus, "proposed">, { label: string; icon: typeof CircleCheck; className: string }> = {
  approved: { label: "Approved", icon: CircleCheck, className: "border-status-submitted/50 bg-status-submitted/10 [&>svg]:text-status-submitted" },
  rejected: { label: "Rejected", icon: CircleX, className: "border-status-failed/50 bg-status-failed/10 [&>svg]:text-status-failed" },
  reverted: { label: "Reverted", icon: Undo2, className: "border-status-cancelled/50 bg-status-cancelled/10 [&>svg]:text-status-cancelled" },
};

function changeNames(heal: HealView): string {
  return heal.changes.map((c) => (c.kind === "target" ? c.targetId : `pop-up “${c.overlay.name || "unnamed"}”`)).join(", ");
}

/** Decided heals, newest decision first: who decided, when, the note; Revert on approved ones. */
export function HealHistory({ heals }: { heals: HealView[] }) {
  return (
    <ul className="divide-y rounded-lg border" aria-label="Decided heals" data-testid="heal-history">
      {heals.map((heal) => {
        const status = heal.status === "proposed" ? null : STATUS[heal.status];
        const Icon = status?.icon;
        const when = heal.revertedAt ?? heal.decidedAt;
        const who = heal.status === "reverted" ? heal.revertedBy : heal.decidedBy;
        return (
          <li key={heal.id} className="flex flex-wrap items-center gap-x-3 gap-y-1.5 px-3 py-2.5" data-heal-id={heal.id}>
            <OemBadge label={heal.oem.label} color={heal.oem.color} monogram={heal.oem.monogram} size="sm" />
            {status && Icon ? (
              <Badge variant="outline" className={status.className}>
                <Icon aria-hidden /> {status.label}
              </Badge>
            ) : null}
            {heal.version !== null ? <span className="text-xs font-medium text-muted-foreground tabular-nums">v{heal.version}</span> : null}
            <span className="min-w-0 flex-1 truncate font-mono text-xs" title={changeNames(heal)}>
              {changeNames(heal)}
            </span>
            <ProposerBadge heal={heal} />
            <span className="text-xs text-muted-foreground">
              {who ?? "someone"}
              {when ? (
                <>
                  {" · "}
                  <RelativeTime date={when} />
                </>
              ) : null}
              {heal.status === "approved" && heal.cacheHits > 0 ? ` · used ${heal.cacheHits}×` : ""}
            </span>
            {heal.status === "approved" ? <HealActionButton action="revert" healId={heal.id} oemLabel={heal.oem.label} /> : null}
            {heal.decisionNote ? <p className="basis-full text-xs text-pretty text-muted-foreground">“{heal.decisionNote}”</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
