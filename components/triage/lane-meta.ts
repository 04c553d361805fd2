import { KeyRound, ServerCog, UserRoundPen, Wrench, type LucideIcon } from "lucide-react";
import type { TriageLane } from "@/lib/triage/lanes";

export interface LaneMeta {
  label: string;
  /** Who works the lane and what they do. */
  owner: string;
  /** The classes in it, in words. */
  classes: string;
  icon: LucideIcon;
  /** Text/fill tones from the theme (light and dark). */
  textClassName: string;
  fillClassName: string;
  softClassName: string;
}

export const LANE_META: Record<TriageLane, LaneMeta> = {
  engineering: {
    label: "Engineering",
    owner: "Engineering fixes the adapter",
    classes: "Site flakes, pop-ups, changed sites, adapter bugs",
    icon: Wrench,
    textClassName: "text-status-parked",
    fillClassName: "bg-status-parked",
    softClassName: "bg-status-parked/10 border-status-parked/25",
  },
  ops: {
    label: "Ops · data",
    owner: "Ops corrects the case data in the CRM",
    classes: "Portal rejected the submitted data",
    icon: UserRoundPen,
    textClassName: "text-status-review",
    fillClassName: "bg-status-review",
    softClassName: "bg-status-review/10 border-status-review/25",
  },
  admin: {
    label: "Admin · credentials",
    owner: "An admin checks the portal account",
    classes: "Login refused, account locked",
    icon: KeyRound,
    textClassName: "text-status-failed",
    fillClassName: "bg-status-failed",
    softClassName: "bg-status-failed/10 border-status-failed/25",
  },
  infrastructure: {
    label: "Infrastructure",
    owner: "Engineering checks workers and browsers",
    classes: "Browser crashes, killed workers, database outages",
    icon: ServerCog,
    textClassName: "text-error-infra",
    fillClassName: "bg-error-infra",
    softClassName: "bg-error-infra/10 border-error-infra/25",
  },
};
