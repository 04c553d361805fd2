import { AppWindow, Ban, Bug, FileDiff, KeyRound, ServerCrash, TriangleAlert, Zap, type LucideIcon } from "lucide-react";

import type { ErrorClass } from "@/lib/domain/vocabulary";
import { humanize } from "@/lib/format/text";

export interface ErrorClassMeta {
  label: string;
  description: string;
  icon: LucideIcon;
  chipClassName: string;
  fillClassName: string;
}

const ERROR_CLASS_META: Record<ErrorClass, ErrorClassMeta> = {
  site_flake: {
    label: "Site flake",
    description: "Timeout, portal 5xx or dropped connection; retried with backoff.",
    icon: Zap,
    chipClassName: "text-error-site-flake bg-error-site-flake/10 border-error-site-flake/25",
    fillClassName: "bg-error-site-flake",
  },
  site_popup: {
    label: "Pop-up",
    description: "An unexpected modal, cookie wall or session interstitial.",
    icon: AppWindow,
    chipClassName: "text-error-site-popup bg-error-site-popup/10 border-error-site-popup/25",
    fillClassName: "bg-error-site-popup",
  },
  site_changed: {
    label: "Site changed",
    description: "The portal's page no longer matches the adapter's selectors.",
    icon: FileDiff,
    chipClassName: "text-error-site-changed bg-error-site-changed/10 border-error-site-changed/25",
    fillClassName: "bg-error-site-changed",
  },
  portal_rejected: {
    label: "Portal rejected",
    description: "The portal refused the data; back to the CRM for a person.",
    icon: Ban,
    chipClassName: "text-error-portal-rejected bg-error-portal-rejected/10 border-error-portal-rejected/25",
    fillClassName: "bg-error-portal-rejected",
  },
  auth: {
    label: "Credentials",
    description: "The portal refused the credentials or locked the account.",
    icon: KeyRound,
    chipClassName: "text-error-auth bg-error-auth/10 border-error-auth/25",
    fillClassName: "bg-error-auth",
  },
  adapter_bug: {
    label: "Adapter bug",
    description: "An exception in our adapter code; engineering triage.",
    icon: Bug,
    chipClassName: "text-error-adapter-bug bg-error-adapter-bug/10 border-error-adapter-bug/25",
    fillClassName: "bg-error-adapter-bug",
  },
  infra: {
    label: "Infrastructure",
    description: "Browser crash, worker killed or database unavailable; retried.",
    icon: ServerCrash,
    chipClassName: "text-error-infra bg-error-infra/10 border-error-infra/25",
    fillClassName: "bg-error-infra",
  },
};

/** Meta of an error class; a value older code wrote and the taxonomy no longer knows renders neutrally. */
export function getErrorClassMeta(value: ErrorClass): ErrorClassMeta {
  if (Object.hasOwn(ERROR_CLASS_META, value)) return ERROR_CLASS_META[value];
  return {
    label: value ? humanize(value) : "Unclassified",
    description: "An unclassified error.",
    icon: TriangleAlert,
    chipClassName: "text-muted-foreground bg-muted border-border",
    fillClassName: "bg-muted-foreground/40",
  };
}
