import { ArrowRight, Download, FileCode2, Fingerprint, ImageOff, Lightbulb, SquareArrowOutUpRight } from "lucide-react";
import { EvidenceExpiredNote } from "@/components/evidence/evidence-expired-note";
import { TraceLinks } from "@/components/evidence/trace-links";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { artifactFileName, artifactViewUrl } from "@/lib/artifacts/artifact-links";
import type { CaseDetailFailure } from "@/lib/cases/queries/get-case-detail";
import type { TerminalFailStatus } from "@/lib/domain/vocabulary";
import { formatCountOf } from "@/lib/format/number";
import { stepLabel } from "./labels";
import { SiteChangeBlock } from "./site-change-block";

const HEADLINES: Record<TerminalFailStatus, string> = {
  needs_review: "Needs a person: the portal refused the data",
  parked: "Parked for engineering",
  failed: "Terminal failure",
};

/**
 * A terminal fail at a glance: the reason sentence beside its screenshot, the class and code,
 * where it broke, what to do next, and links to the evidence.
 */
export function FailureCard({ failure, status }: { failure: CaseDetailFailure; status: TerminalFailStatus }) {
  const meta = getStatusMeta(status);
  const Icon = meta.icon;
  const shot = failure.screenshot;
  const screenshotUrl = shot?.url ?? failure.screenshotUrl;
  const expired = failure.evidenceExpired;
  return (
    <Card className={cn("relative gap-0 overflow-hidden py-0")}>
      <span aria-hidden className={cn("absolute inset-y-0 left-0 w-1", meta.fillClassName)} />
      <div className="grid gap-5 p-5 pl-6 md:grid-cols-[minmax(0,1fr)_15rem] lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <div className="flex flex-col gap-2">
            <p className={cn("flex items-center gap-1.5 text-sm font-semibold", meta.textClassName)}>
              <Icon aria-hidden className="size-3.5" />
              {HEADLINES[status]}
            </p>
            <p className="text-base leading-snug font-medium text-pretty">{failure.reason}</p>
            <div className="flex flex-wrap items-center gap-2">
              <ErrorClassChip errorClass={failure.errorClass} />
              <code className="rounded-md border bg-muted/50 px-1.5 py-0.5 font-mono text-xs text-muted-foreground">{failure.code}</code>
              <span className="text-xs text-muted-foreground">after {formatCountOf(failure.attempts.length, "attempt")}</span>
            </div>
          </div>

          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-[auto_auto_1fr]">
            <div className="flex flex-col gap-0.5">
              <dt className="text-xs text-muted-foreground">Last good step</dt>
              <dd>{failure.lastGoodStep ? stepLabel(failure.lastGoodStep) : <span className="text-muted-foreground">None</span>}</dd>
            </div>
            <div className="flex flex-col gap-0.5">
              <dt className="text-xs text-muted-foreground">Failing step</dt>
              <dd className="flex items-center gap-1.5">
                {failure.lastGoodStep ? <ArrowRight aria-hidden className="hidden size-3.5 text-muted-foreground sm:block" /> : null}
                {failure.failingStep ? <span className="font-medium text-status-failed">{stepLabel(failure.failingStep)}</span> : <span className="text-muted-foreground">Unknown</span>}
              </dd>
            </div>
            <div className="col-span-2 flex min-w-0 flex-col gap-0.5 sm:col-span-1">
              <dt className="text-xs text-muted-foreground">Fingerprint</dt>
              <dd className="flex items-center gap-1.5 font-mono text-xs" title="Equal fingerprints are the same problem (OEM × step × normalised error)">
                <Fingerprint aria-hidden className="size-3.5 shrink-0 text-muted-foreground" />
                <span className="truncate">{failure.fingerprint || "—"}</span>
              </dd>
            </div>
          </dl>

          {failure.nextAction ? (
            <div className="flex gap-2.5 rounded-lg border bg-muted/40 px-3 py-2.5">
              <Lightbulb aria-hidden className="mt-0.5 size-4 shrink-0 text-status-retry" />
              <div className="flex flex-col gap-0.5">
                <p className="text-xs font-medium text-muted-foreground">Next action</p>
                <p className="text-sm text-pretty">{failure.nextAction}</p>
              </div>
            </div>
          ) : null}

          <div className="flex flex-col gap-2">
            <div className="flex flex-wrap gap-2">
              {failure.domSnapshotUrl ? (
                <>
                  <Button asChild variant="outline" size="sm">
                    <a href={artifactViewUrl(failure.domSnapshotUrl)} target="_blank" rel="noreferrer">
                      <FileCode2 /> DOM snapshot
                      <SquareArrowOutUpRight aria-hidden className="size-3 text-muted-foreground" />
                      <span className="sr-only">(opens the portal page as it was, scripts off, in a new tab)</span>
                    </a>
                  </Button>
                  <Button asChild variant="ghost" size="sm">
                    <a href={failure.domSnapshotUrl} download={artifactFileName(failure.domSnapshotUrl)}>
                      <Download /> Download snapshot
                    </a>
                  </Button>
                </>
              ) : null}
            </div>
            {failure.traceUrl ? <TraceLinks url={failure.traceUrl} fileName={artifactFileName(failure.traceUrl)} /> : null}
            {expired ? (
              <EvidenceExpiredNote at={expired.at} keptDays={expired.keptDays} />
            ) : !failure.domSnapshotUrl && !failure.traceUrl ? (
              <p className="text-xs text-muted-foreground">No DOM snapshot or trace was kept for this failure.</p>
            ) : null}
          </div>
        </div>

        <div className="flex flex-col gap-2">
          {screenshotUrl ? (
            <>
              <ScreenshotLightbox
                src={screenshotUrl}
                title="Failure screenshot"
                step={shot?.step ? stepLabel(shot.step) : failure.failingStep ? stepLabel(failure.failingStep) : null}
                takenAt={shot?.createdAt ?? null}
                size="lg"
              />
              <p className="text-xs text-muted-foreground">
                At {shot?.step ? stepLabel(shot.step).toLowerCase() : "the failing step"} · click to enlarge
              </p>
            </>
          ) : (
            <div className="flex aspect-[16/10] flex-col items-center justify-center gap-2 rounded-lg border border-dashed bg-muted/30 text-center text-xs text-muted-foreground">
              <ImageOff aria-hidden className="size-5" />
              {expired ? "The screenshot expired" : "No screenshot was taken"}
            </div>
          )}
        </div>
      </div>
      {failure.siteChange ? (
        <div className="px-5 pb-5 pl-6">
          <SiteChangeBlock change={failure.siteChange} />
        </div>
      ) : null}
    </Card>
  );
}
