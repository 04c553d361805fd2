"use client";

import { Download, FileArchive, SquareArrowOutUpRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { TRACE_VIEWER_PATH, traceViewerUrl } from "@/lib/artifacts/artifact-links";
import { useOrigin } from "./use-origin";

export interface TraceLinksProps {
  /** The trace's signed link (a zip). */
  url: string;
  /** A suggested file name for the download, e.g. "NS-2026-00012-attempt-2-trace.zip". */
  fileName: string;
  /** Adds the line about opening the file offline. */
  withHint?: boolean;
  className?: string;
}

/**
 * A Playwright trace: open it in the trace viewer the app serves itself (a new tab; the viewer's
 * service worker fetches the signed link), or download it for `npx playwright show-trace`.
 */
export function TraceLinks({ url, fileName, withHint = true, className }: TraceLinksProps) {
  const origin = useOrigin();
  // Until the browser knows its origin, a root-relative link: the viewer resolves it against its own address.
  const href = origin ? traceViewerUrl(url, origin) : `${TRACE_VIEWER_PATH}/index.html?trace=${encodeURIComponent(url)}`;
  return (
    <div data-slot="trace-links" className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex flex-wrap gap-2">
        <Button asChild variant="outline" size="sm">
          <a href={href} target="_blank" rel="noreferrer">
            <FileArchive /> Open trace
            <SquareArrowOutUpRight aria-hidden className="size-3 text-muted-foreground" />
            <span className="sr-only">(opens the Playwright trace viewer in a new tab)</span>
          </a>
        </Button>
        <Button asChild variant="ghost" size="sm">
          <a href={url} download={fileName}>
            <Download /> Download trace
          </a>
        </Button>
      </div>
      {withHint ? (
        <p className="text-[11px] text-muted-foreground">
          Offline: <code className="rounded bg-muted px-1 py-0.5 font-mono text-[11px] break-all text-foreground">npx playwright show-trace {fileName}</code>
        </p>
      ) : null}
    </div>
  );
}
