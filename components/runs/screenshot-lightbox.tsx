"use client";

import * as React from "react";
import { Camera, ExternalLink, Maximize2, XIcon } from "lucide-react";
import { Dialog } from "radix-ui";
import { cn } from "@/components/ui/cn";
import { formatExactDate } from "@/lib/format/date";

export interface ScreenshotLightboxProps {
  /** Artifact URL: the signed link (`/api/artifacts/<key>?expires=…&sig=…`); a renewed link just swaps the image. */
  src: string;
  /** What the screenshot shows, e.g. "Failure screenshot, attempt 2". */
  title: string;
  /** The step it was taken at (human label), when known. */
  step: string | null;
  /** When it was taken (ISO string or Date). */
  takenAt: string | Date | null;
  /** Thumbnail box size; the image is cropped to the top of the page. */
  size?: "sm" | "md" | "lg";
  className?: string;
}

const THUMB = {
  sm: { className: "w-36", width: 144, height: 90 },
  md: { className: "w-52", width: 208, height: 130 },
  lg: { className: "w-full", width: 480, height: 300 },
} as const;

/**
 * A screenshot thumbnail that opens a lightbox (a Radix dialog) with the image large, the step it
 * was taken at and its time. Plain `<img>`: artifacts come from our own route, not next/image.
 */
export function ScreenshotLightbox({ src, title, step, takenAt, size = "md", className }: ScreenshotLightboxProps) {
  const thumb = THUMB[size];
  const time = takenAt ? (typeof takenAt === "string" ? new Date(takenAt) : takenAt) : null;
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild>
        <button
          type="button"
          data-slot="screenshot-thumbnail"
          aria-label={`Enlarge ${title.toLowerCase()}`}
          className={cn(
            "group/shot relative block shrink-0 overflow-hidden rounded-lg border bg-muted/40 text-left shadow-xs transition outline-none hover:border-foreground/20 hover:shadow-sm focus-visible:ring-[3px] focus-visible:ring-ring/50",
            thumb.className,
            className,
          )}
        >
          <img src={src} alt={title} width={thumb.width} height={thumb.height} loading="lazy" decoding="async" className="aspect-[16/10] w-full object-cover object-top" />
          <span className="pointer-events-none absolute inset-0 flex items-end justify-between gap-2 bg-gradient-to-t from-black/55 via-black/0 to-black/0 p-2 opacity-0 transition-opacity group-hover/shot:opacity-100 group-focus-visible/shot:opacity-100">
            <span className="truncate text-[11px] font-medium text-white">{step ?? title}</span>
            <Maximize2 aria-hidden className="size-3.5 shrink-0 text-white" />
          </span>
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/70 backdrop-blur-[2px] data-[state=closed]:animate-out data-[state=closed]:fade-out-0 data-[state=open]:animate-in data-[state=open]:fade-in-0" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 flex max-h-[92svh] w-[min(96vw,72rem)] -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden rounded-xl border bg-background shadow-2xl outline-none data-[state=closed]:animate-out data-[state=closed]:fade-out-0 data-[state=closed]:zoom-out-95 data-[state=open]:animate-in data-[state=open]:fade-in-0 data-[state=open]:zoom-in-95">
          <div className="flex items-start justify-between gap-4 border-b px-4 py-3">
            <div className="flex min-w-0 items-start gap-3">
              <span className="mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground">
                <Camera aria-hidden className="size-4" />
              </span>
              <div className="flex min-w-0 flex-col gap-0.5">
                <Dialog.Title className="truncate text-sm font-semibold">{title}</Dialog.Title>
                <Dialog.Description className="text-xs text-muted-foreground">
                  {step ? (
                    <>
                      Taken at step <span className="font-medium text-foreground">{step}</span>
                    </>
                  ) : (
                    "Step not recorded"
                  )}
                  {time ? (
                    <>
                      {" · "}
                      <time dateTime={time.toISOString()}>{formatExactDate(time)}</time>
                    </>
                  ) : null}
                </Dialog.Description>
              </div>
            </div>
            <div className="flex shrink-0 items-center gap-1">
              <a
                href={src}
                target="_blank"
                rel="noreferrer"
                className="inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-xs font-medium text-muted-foreground transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50"
              >
                <ExternalLink aria-hidden className="size-3.5" /> Open original
              </a>
              <Dialog.Close className="inline-flex size-8 items-center justify-center rounded-md text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
                <XIcon className="size-4" />
                <span className="sr-only">Close</span>
              </Dialog.Close>
            </div>
          </div>
          <div className="min-h-0 flex-1 overflow-auto bg-muted/30 p-3 sm:p-4">
            <img src={src} alt={title} width={1280} height={800} className="mx-auto h-auto w-full max-w-full rounded-md border bg-background shadow-xs" />
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
