"use client";

import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { stepLabel } from "@/components/cases/labels";
import { artifactFileName, artifactViewUrl } from "@/lib/artifacts/artifact-links";
import type { CaseDetailAttempt } from "@/lib/cases/queries/get-case-detail";
import { DomSnapshotFrame } from "./dom-snapshot-frame";
import { EvidenceExpiredNote } from "./evidence-expired-note";
import { TraceLinks } from "./trace-links";

/** Screenshot thumbnails of an attempt (each opens the lightbox). */
export function AttemptScreenshots({ attempt }: { attempt: CaseDetailAttempt }) {
  const screenshots = attempt.artifacts.filter((artifact) => artifact.kind === "screenshot");
  if (screenshots.length === 0) return null;
  const what = attempt.status === "succeeded" ? "Final screenshot" : attempt.status === "failed" ? "Failure screenshot" : "Screenshot";
  return (
    <div data-slot="attempt-screenshots" className="flex shrink-0 flex-wrap items-start gap-2 self-start">
      {screenshots.map((shot, index) => (
        <ScreenshotLightbox
          key={shot.id}
          src={shot.url}
          title={`${what}${screenshots.length > 1 ? ` ${index + 1}` : ""}, attempt ${attempt.number}`}
          step={shot.step ? stepLabel(shot.step) : null}
          takenAt={shot.createdAt}
          size="sm"
        />
      ))}
    </div>
  );
}

/**
 * The rest of an attempt's evidence: its DOM snapshot (shown in a sandboxed frame) and its
 * Playwright trace (the served viewer, or a download). Nothing when the attempt kept neither.
 */
export function AttemptEvidence({ attempt, defaultOpen = false }: { attempt: CaseDetailAttempt; defaultOpen?: boolean }) {
  const dom = attempt.artifacts.find((artifact) => artifact.kind === "dom");
  const trace = attempt.artifacts.find((artifact) => artifact.kind === "trace");
  if (!dom && !trace) {
    return attempt.evidenceExpiredAt ? <EvidenceExpiredNote at={attempt.evidenceExpiredAt} className="rounded-lg border border-dashed px-3 py-2" /> : null;
  }
  const at = dom?.step ?? trace?.step ?? null;
  return (
    <div data-slot="attempt-evidence" className="flex flex-col gap-3 rounded-lg border border-dashed px-3 py-3">
      <p className="text-xs font-medium text-muted-foreground">
        Evidence of attempt {attempt.number}
        {at ? ` · at ${stepLabel(at).toLowerCase()}` : ""}
      </p>
      {dom ? (
        <DomSnapshotFrame
          viewUrl={dom.viewUrl ?? artifactViewUrl(dom.url)}
          downloadUrl={dom.url}
          fileName={artifactFileName(dom.url)}
          title={`Portal page when attempt ${attempt.number} ${attempt.status === "failed" ? "failed" : "ended"} (DOM snapshot)`}
          defaultOpen={defaultOpen}
        />
      ) : null}
      {trace ? <TraceLinks url={trace.url} fileName={artifactFileName(trace.url)} /> : null}
    </div>
  );
}
