"use client";

import { useId, useState } from "react";
import { ChevronDown, Download, FileCode2, SquareArrowOutUpRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

export interface DomSnapshotFrameProps {
  /** The signed link rendered as a sandboxed page (`…&view=1`). */
  viewUrl: string;
  /** The signed link as a download (text). */
  downloadUrl: string;
  /** What the snapshot shows, e.g. "Portal page when attempt 2 failed". */
  title: string;
  /** The download's file name. */
  fileName: string;
  /** Shown open at first (the failure card's latest attempt). */
  defaultOpen?: boolean;
  className?: string;
}

/**
 * The portal's page as it was when the attempt ended, shown inside our page: an iframe with an
 * empty `sandbox` (no scripts, an opaque origin) whose link the server answers with a CSP that
 * also blocks every request. Also "Open in new tab" (same sandboxed page) and "Download" (text).
 */
export function DomSnapshotFrame({ viewUrl, downloadUrl, title, fileName, defaultOpen = false, className }: DomSnapshotFrameProps) {
  const [open, setOpen] = useState(defaultOpen);
  const panelId = useId();
  return (
    <div data-slot="dom-snapshot" className={cn("flex flex-col gap-2", className)}>
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="sm" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((value) => !value)}>
          <FileCode2 /> {open ? "Hide DOM snapshot" : "Show DOM snapshot"}
          <ChevronDown aria-hidden className={cn("size-3.5 text-muted-foreground transition-transform", open && "rotate-180")} />
        </Button>
        <Button asChild variant="ghost" size="sm">
          <a href={viewUrl} target="_blank" rel="noreferrer">
            <SquareArrowOutUpRight /> Open in new tab
          </a>
        </Button>
        <Button asChild variant="ghost" size="sm">
          <a href={downloadUrl} download={fileName}>
            <Download /> Download
          </a>
        </Button>
      </div>
      <div id={panelId} hidden={!open} className="overflow-hidden rounded-lg border bg-muted/30">
        {open ? (
          <>
            <div className="flex items-center justify-between gap-2 border-b bg-muted/50 px-3 py-1.5 text-[11px] text-muted-foreground">
              <span className="truncate">{title}</span>
              <span className="shrink-0">Scripts and network off</span>
            </div>
            {/* sandbox="" on purpose: no allow-scripts, no allow-same-origin. */}
            <iframe src={viewUrl} title={title} sandbox="" referrerPolicy="no-referrer" loading="lazy" className="block h-[26rem] w-full bg-white" />
          </>
        ) : null}
      </div>
    </div>
  );
}
