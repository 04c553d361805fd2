import {
  CircleCheck,
  CircleDashed,
  CircleParking,
  CircleSlash,
  CircleX,
  Clock,
  FlaskConical,
  LoaderCircle,
  ShieldQuestion,
  UserRoundSearch,
  type LucideIcon,
} from "lucide-react";

import type { CaseStatus, RunStatus } from "@/lib/domain/vocabulary";
import { humanize } from "@/lib/format/text";

/** A run status or a case status (a case shows its latest run's status while that run is open). */
export type DisplayStatus = RunStatus | CaseStatus;

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
const STATUS_META: Record<DisplayStatus, StatusMeta> = {
  submitted: {
    label: "Submitted",
    description: "Filed on the portal and confirmed.",
    icon: CircleCheck,
    chipClassName: "text-status-submitted bg-status-submitted/10 border-status-submitted/25",
    fillClassName: "bg-status-submitted",
    textClassName: "text-status-submitted",
  },
  rehearsed: {
    label: "Dry run passed",
    description: "A dry run went through every step up to the final submit; nothing was filed.",
    icon: FlaskConical,
    chipClassName: "text-status-queued bg-status-queued/10 border-status-queued/25",
    fillClassName: "bg-status-queued",
    textClassName: "text-status-queued",
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
  awaiting_approval: {
    label: "Awaiting approval",
    description: "Filled using a portal change nobody has approved yet; held before the final submit until a person approves the heal.",
    icon: ShieldQuestion,
    chipClassName: "text-status-review bg-status-review/10 border-status-review/25",
    fillClassName: "bg-status-review",
    textClassName: "text-status-review",
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

/**
 * Meta of a run or case status. A row written by older code may hold a value the vocabulary no
 * longer knows: it gets a neutral look and a humanised label rather than breaking the page.
 */
export function getStatusMeta(status: DisplayStatus): StatusMeta {
  return Object.hasOwn(STATUS_META, status) ? STATUS_META[status] : { ...UNKNOWN_STATUS_META, label: humanize(status) };
}

const UNKNOWN_STATUS_META: StatusMeta = {
  label: "Unknown",
  description: "An unrecognised status.",
  icon: CircleDashed,
  chipClassName: "text-muted-foreground bg-muted border-border",
  fillClassName: "bg-muted-foreground/40",
  textClassName: "text-muted-foreground",
};
