import { cn } from "@/components/ui/cn";
import { crmStatusLabel } from "./labels";

/**
 * The status the CRM shows for a case. Deliberately neutral: colour is kept for our own status,
 * so the two never compete in a row.
 */
export function CrmStatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <span
      data-slot="crm-status-badge"
      data-status={status}
      className={cn("inline-flex h-5 w-fit items-center gap-1.5 rounded-md border bg-background px-1.5 text-[11px] font-medium whitespace-nowrap text-muted-foreground", className)}
    >
      <span aria-hidden className="size-1.5 rounded-full bg-muted-foreground/50" />
      {crmStatusLabel(status)}
    </span>
  );
}
