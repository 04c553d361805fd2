"use client";

import { Lock } from "lucide-react";
import { useViewer } from "@/components/auth/viewer-context";

/** NIGHTSHIFT_READ_ONLY: one band across the top of every page, so nobody wonders why every button is off. */
export function ReadOnlyBanner() {
  const { readOnly } = useViewer();
  if (!readOnly) return null;
  return (
    <div role="status" data-slot="read-only-banner" className="flex items-center justify-center gap-2 border-b border-status-retry/40 bg-status-retry/10 px-4 py-2 text-sm font-medium text-foreground">
      <Lock aria-hidden className="size-4 shrink-0 text-status-retry" />
      <span>Read-only mode: changes are switched off for everyone.</span>
      <span className="hidden font-normal sm:inline">Everything can still be read.</span>
    </div>
  );
}
