import {
  CircleCheck,
  CircleDashed,
  CircleParking,
  CircleSlash,
  CircleX,
  Clock,
  LoaderCircle,
  UserRoundSearch,
  type LucideIcon,
} from "lucide-react";

/** Run statuses (drizzle/schema.ts `runs.status`) plus the case-only `pending`. */
export type RunStatus = "queued" | "running" | "retry_scheduled" | "submitted" | "needs_review" | "parked" | "failed" | "cancelled";
export type CaseStatus = "pending" | "queued" | "submitted" | "failed" | "needs_review" | "parked";
export type AnyStatus = RunStatus | CaseStatus;

export interface StatusMeta {
  label: string;
  /** Sentence for tooltips and legends. */
  description: string;
  icon: LucideIcon;
  /** Text + tinted background + border, from the status token. */
  chipClassName: string;
  /** Solid fill, for bars and dots. */
  fillClassName: string;
  /** Text colour only. */
  textClassName: string;
}

// Class names are spelled out in full so Tailwind can see them.
export const STATUS_META: Record<AnyStatus, StatusMeta> = {
  submitted: {
    label: "Submitted",
    description: "Filed on the portal and confirmed.",
    icon: CircleCheck,
    chipClassName: "text-status-submitted bg-status-submitted/10 border-status-submitted/25",
    fillClassName: "bg-status-submitted",
    textClassName: "text-status-submitted",
  },
  running: {
    label: "Running",
    description: "A worker is filing it right now.",
    icon: LoaderCircle,
    chipClassName: "text-status-running bg-status-running/10 border-status-running/25",
    fillClassName: "bg-status-running",
    textClassName: "text-status-running",
  },
  retry_scheduled: {
    label: "Retry scheduled",
    description: "A transient failure; another attempt is scheduled.",
    icon: Clock,
    chipClassName: "text-status-retry bg-status-retry/10 border-status-retry/25",
    fillClassName: "bg-status-retry",
    textClassName: "text-status-retry",
  },
  needs_review: {
    label: "Needs review",
    description: "The portal refused the data; a person must correct it in the CRM.",
    icon: UserRoundSearch,
    chipClassName: "text-status-review bg-status-review/10 border-status-review/25",
    fillClassName: "bg-status-review",
    textClassName: "text-status-review",
  },
  parked: {
    label: "Parked",
    description: "Parked for engineering: the adapter needs a fix.",
    icon: CircleParking,
    chipClassName: "text-status-parked bg-status-parked/10 border-status-parked/25",
    fillClassName: "bg-status-parked",
    textClassName: "text-status-parked",
  },
  failed: {
    label: "Failed",
    description: "A terminal failure with evidence.",
    icon: CircleX,
    chipClassName: "text-status-failed bg-status-failed/10 border-status-failed/25",
    fillClassName: "bg-status-failed",
    textClassName: "text-status-failed",
  },
  cancelled: {
    label: "Cancelled",
    description: "Stopped before it finished.",
    icon: CircleSlash,
    chipClassName: "text-status-cancelled bg-status-cancelled/10 border-status-cancelled/25",
    fillClassName: "bg-status-cancelled",
    textClassName: "text-status-cancelled",
  },
  queued: {
    label: "Queued",
    description: "Waiting for a free worker.",
    icon: CircleDashed,
    chipClassName: "text-status-queued bg-status-queued/10 border-status-queued/25",
    fillClassName: "bg-status-queued",
    textClassName: "text-status-queued",
  },
  pending: {
    label: "Pending",
    description: "Known to Nightshift, not yet in a batch.",
    icon: CircleDashed,
    chipClassName: "text-muted-foreground bg-muted border-border",
    fillClassName: "bg-muted-foreground/40",
    textClassName: "text-muted-foreground",
  },
};

const FALLBACK: StatusMeta = {
  label: "Unknown",
  description: "An unrecognised status.",
  icon: CircleDashed,
  chipClassName: "text-muted-foreground bg-muted border-border",
  fillClassName: "bg-muted-foreground/40",
  textClassName: "text-muted-foreground",
};

export function isKnownStatus(status: string): status is AnyStatus {
  return Object.hasOwn(STATUS_META, status);
}

/** Meta for any status string; unknown values get a neutral look and a humanised label. */
export function getStatusMeta(status: string): StatusMeta {
  if (isKnownStatus(status)) return STATUS_META[status];
  return { ...FALLBACK, label: humanize(status) };
}

function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : FALLBACK.label;
}
