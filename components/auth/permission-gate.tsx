"use client";

import * as React from "react";
import { Lock } from "lucide-react";
import type { Role } from "@/lib/auth/roles";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { cn } from "@/components/ui/cn";
import { usePermission } from "./viewer-context";

type ControlProps = { disabled?: boolean; asChild?: boolean; children?: React.ReactNode; "aria-describedby"?: string };

/**
 * A state-changing control that needs `role`. Allowed: the control as is. Not allowed (a lower
 * role, or read-only mode): the same control, disabled, with the reason as its accessible
 * description and as a tooltip (the wrapper takes the focus and the pointer, since a disabled
 * button gets neither). A link button (`asChild`) becomes a plain disabled button: a link cannot
 * be disabled. The server refuses the action anyway; this only keeps people from pressing what
 * would fail.
 */
export function RequiresRole({ role, children, showReason = false }: { role: Role; children: React.ReactElement<ControlProps>; /** Also print the reason beside the control. */ showReason?: boolean }) {
  const { allowed, reason } = usePermission(role);
  const reasonId = React.useId();
  if (allowed || !reason) return children;
  return (
    <DisabledWithReason reason={reason} reasonId={reasonId} showReason={showReason}>
      {children}
    </DisabledWithReason>
  );
}

/** The disabled form of a control, with `reason` (also for controls disabled for other reasons, e.g. "You cannot disable yourself"). */
export function DisabledWithReason({ reason, reasonId, showReason = false, children }: { reason: string; reasonId?: string; showReason?: boolean; children: React.ReactElement<ControlProps> }) {
  const generated = React.useId();
  const id = reasonId ?? generated;
  const inner = children.props.asChild && React.isValidElement<{ children?: React.ReactNode }>(children.props.children) ? children.props.children.props.children : children.props.children;
  const control = React.cloneElement(children, {
    ...(children.props.asChild ? { asChild: false } : {}),
    children: inner,
    disabled: true,
    "aria-describedby": [children.props["aria-describedby"], id].filter(Boolean).join(" "),
  });
  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-slot="permission-gate" data-disabled-reason={reason}>
      <Tooltip>
        <TooltipTrigger asChild>
          {/* Focusable so keyboard users reach the tooltip; the reason is also the control's description. */}
          <span tabIndex={0} className="inline-flex cursor-not-allowed rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50">
            {control}
          </span>
        </TooltipTrigger>
        <TooltipContent>{reason}</TooltipContent>
      </Tooltip>
      <span id={id} className={showReason ? "text-xs text-muted-foreground" : "sr-only"}>
        {reason}
      </span>
    </span>
  );
}

/**
 * A form (or part of one) that needs `role`: disabled as a whole through a native `<fieldset>` (every
 * input, select, switch and button inside), so the values stay visible; a note above says why.
 */
export function RequiresRoleFieldset({
  role,
  children,
  className,
  noteClassName,
  legend,
}: {
  role: Role;
  children: React.ReactNode;
  className?: string;
  noteClassName?: string;
  /** The form's name, for screen readers. */
  legend?: string;
}) {
  const { allowed, reason } = usePermission(role);
  const noteId = React.useId();
  return (
    <fieldset disabled={!allowed} aria-describedby={allowed ? undefined : noteId} className={cn("m-0 min-w-0 border-0 p-0", className)} data-slot="permission-fieldset" data-disabled-reason={reason ?? undefined}>
      {legend ? <legend className="sr-only">{legend}</legend> : null}
      {!allowed && reason ? <PermissionNote id={noteId} reason={reason} className={noteClassName} /> : null}
      {children}
    </fieldset>
  );
}

/** "You can look, not change": a quiet line above a form the viewer may not use. */
export function PermissionNote({ id, reason, className }: { id?: string; reason: string; className?: string }) {
  return (
    <p id={id} role="note" className={cn("mx-6 mb-4 flex items-center gap-2 rounded-md border bg-muted/50 px-3 py-2 text-sm text-muted-foreground", className)}>
      <Lock aria-hidden className="size-3.5 shrink-0" />
      <span>
        {reason} <span className="text-foreground/80">The values below are shown as saved.</span>
      </span>
    </p>
  );
}
