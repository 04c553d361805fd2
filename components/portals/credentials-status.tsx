"use client";

import { KeyRound, ShieldAlert, Smartphone } from "lucide-react";
import { format } from "date-fns";
import { formatExactDate } from "@/lib/format/date";
import type { CredentialSource, PortalCredentialStatus } from "@/lib/portals/credentials-input";

const SOURCE_TEXT: Record<CredentialSource, string> = {
  stored: "Set",
  environment: "From the environment (PORTAL_CREDENTIALS, or the sandbox accounts)",
  missing: "Not set: attempts on this portal fail until an admin sets them",
};

/** What may be known about a portal's credentials: where they come from, when and by whom they were set. Never a value. */
export function CredentialsStatus({ status }: { status: PortalCredentialStatus }) {
  const setAt = status.setAt ? new Date(status.setAt) : null;
  return (
    <p className="flex min-w-0 items-start gap-2 text-sm text-pretty" data-testid="credentials-status">
      {status.source === "missing" ? (
        <ShieldAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-status-failed" />
      ) : (
        <KeyRound aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
      )}
      <span className="min-w-0">
        {status.source === "stored" && setAt ? (
          <>
            Set on{" "}
            <time dateTime={setAt.toISOString()} title={formatExactDate(setAt)} suppressHydrationWarning>
              {format(setAt, "EEE d MMM")}
            </time>
            {status.setBy ? (
              <>
                {" "}
                by <span className="break-all">{status.setBy}</span>
              </>
            ) : null}
          </>
        ) : (
          SOURCE_TEXT[status.source]
        )}
        {status.hasTotp ? (
          <span className="ml-1 inline-flex items-center gap-1 text-muted-foreground">
            · <Smartphone aria-hidden className="size-3.5" /> one-time codes
          </span>
        ) : null}
      </span>
    </p>
  );
}
