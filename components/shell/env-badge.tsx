import { FlaskConical, ShieldAlert, Wrench, type LucideIcon } from "lucide-react";
import { cn } from "@/components/ui/cn";

export type NightshiftEnv = "dev" | "stage" | "prod";

const ENV_META: Record<NightshiftEnv, { label: string; short: string; icon: LucideIcon; className: string; hint: string }> = {
  dev: {
    label: "Development",
    short: "DEV",
    icon: Wrench,
    className: "bg-env-dev text-env-dev-foreground",
    hint: "Development: simulated portals and CRM.",
  },
  stage: {
    label: "Staging",
    short: "STAGE",
    icon: FlaskConical,
    className: "bg-env-stage text-env-stage-foreground",
    hint: "Staging: real portals' test accounts. Not production data.",
  },
  prod: {
    label: "Production",
    short: "PROD",
    icon: ShieldAlert,
    className: "bg-env-prod text-env-prod-foreground",
    hint: "Production: actions here file real submissions.",
  },
};

/** Which deployment this is, as a solid badge: dev grey, stage amber, prod red. */
export function EnvBadge({ env, className }: { env: NightshiftEnv; className?: string }) {
  const meta = ENV_META[env];
  const Icon = meta.icon;
  return (
    <span
      data-slot="env-badge"
      data-env={env}
      title={meta.hint}
      className={cn(
        "inline-flex h-7 shrink-0 items-center gap-1.5 rounded-md px-2.5 text-xs font-semibold tracking-wide uppercase shadow-xs",
        meta.className,
        className,
      )}
    >
      <Icon aria-hidden className="size-3.5" />
      <span className="sm:hidden">{meta.short}</span>
      <span className="hidden sm:inline">{meta.label}</span>
    </span>
  );
}

/** A thin full-width stripe on top of the viewport outside development, so nobody mistakes prod for stage. */
export function EnvStripe({ env }: { env: NightshiftEnv }) {
  if (env === "dev") return null;
  return <div aria-hidden className={cn("fixed inset-x-0 top-0 z-50 h-0.5", env === "prod" ? "bg-env-prod" : "bg-env-stage")} />;
}
