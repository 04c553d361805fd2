"use client";

import { RotateCcw, TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The body of an error boundary: a plain sentence, a retry, never a stack trace. */
export function ErrorState({ error, reset, title = "This page could not be loaded" }: { error: Error & { digest?: string }; reset: () => void; title?: string }) {
  return (
    <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-4 py-24 text-center">
      <span className="flex size-11 items-center justify-center rounded-xl border bg-status-failed/10 text-status-failed">
        <TriangleAlert aria-hidden className="size-5" />
      </span>
      <div className="flex flex-col gap-1.5">
        <h2 className="text-base font-semibold tracking-tight">{title}</h2>
        <p className="text-sm text-pretty text-muted-foreground">
          Something went wrong while reading Nightshift&apos;s data. Nothing was changed. Try again in a moment; if it keeps happening, check that the
          database is running.
        </p>
        {error.digest ? <p className="font-mono text-xs text-muted-foreground">Reference {error.digest}</p> : null}
      </div>
      <Button variant="outline" size="sm" onClick={reset}>
        <RotateCcw /> Try again
      </Button>
    </div>
  );
}
