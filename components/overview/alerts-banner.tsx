import { OctagonAlert, TriangleAlert } from "lucide-react";
import { RelativeTime } from "@/components/relative-time";
import { cn } from "@/components/ui/cn";
import type { Overview } from "@/lib/overview/get-overview";
import { ResumePortalButton } from "./resume-portal-button";

/** Open alerts for ops, above everything else; nothing at all when there are none. */
export function AlertsBanner({ alerts, oems }: { alerts: Overview["alerts"]; oems: Overview["oems"] }) {
  if (alerts.length === 0) return null;
  return (
    <section aria-label="Alerts" className="flex flex-col gap-2">
      {alerts.map((alert) => {
        const critical = alert.severity === "critical";
        const Icon = critical ? OctagonAlert : TriangleAlert;
        const oem = oems.find((o) => o.id === alert.oemId);
        return (
          <div
            key={alert.id}
            role="alert"
            className={cn(
              "flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm",
              critical ? "border-status-failed/40 bg-status-failed/5" : "border-status-retry/40 bg-status-retry/5",
            )}
          >
            <Icon aria-hidden className={cn("size-4 shrink-0", critical ? "text-status-failed" : "text-status-retry")} />
            <p className="min-w-0 flex-1 text-pretty">{alert.message}</p>
            <span className="text-xs text-muted-foreground">
              <RelativeTime date={alert.createdAt} />
            </span>
            {alert.kind === "portal_paused" && oem?.pausedAt ? <ResumePortalButton oemId={oem.id} label={oem.label} /> : null}
          </div>
        );
      })}
    </section>
  );
}
