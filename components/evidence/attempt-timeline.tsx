import { CircleCheck, CircleX, Hourglass, Play, ShieldQuestion, Unplug } from "lucide-react";
import { stepLabel } from "@/components/cases/labels";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import { StepTimeline } from "@/components/runs/step-timeline";
import { cn } from "@/components/ui/cn";
import type { CaseDetailAttempt } from "@/lib/cases/queries/get-case-detail";
import { attemptTimeline, formatPreciseDuration } from "./attempt-timeline-model";

/** A step narrower than this share of the bar is drawn at this minimum so it stays visible. */
const MIN_STEP_PERCENT = 1.2;

/**
 * One attempt on a bar: queue wait (hatched) then run time, with each step inside the run in
 * proportion to its duration (failed steps in red, with an icon in the legend and the step list).
 * The bar is decoration; the same facts are in words above it and in the step list below.
 */
export function AttemptTimeline({ attempt, now }: { attempt: CaseDetailAttempt; now?: Date }) {
  const model = attemptTimeline(attempt, now);
  const failingStep = attempt.steps.findLast((step) => step.status === "failed")?.name ?? attempt.lastStep;
  const queuePercent = model.queueShare * 100;
  return (
    <div data-slot="attempt-timeline" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
        <p data-slot="attempt-timeline-summary" className="font-medium tabular-nums">
          {model.summary}
        </p>
        <AttemptEnding attempt={attempt} failingStep={failingStep} />
      </div>

      <div aria-hidden className="flex h-6 w-full overflow-hidden rounded-md border bg-background">
        {queuePercent > 0 ? (
          <div
            className="flex h-full min-w-0 items-center justify-center border-r bg-muted/40 bg-[repeating-linear-gradient(135deg,var(--color-border)_0_2px,transparent_2px_7px)] px-1.5 text-[10px] font-medium text-muted-foreground"
            style={{ width: `${queuePercent}%` }}
            title={`Queue wait ${model.queueMs === null ? "" : formatPreciseDuration(model.queueMs)}`}
          >
            <span className="truncate rounded-sm bg-background/90 px-1">Queue</span>
          </div>
        ) : null}
        <div className="relative h-full min-w-0 flex-1 bg-muted/40">
          {model.steps.map((step, index) => {
            const failed = step.status === "failed";
            const width = Math.max(step.width * 100, MIN_STEP_PERCENT);
            return (
              <div
                key={`${step.name}-${index}`}
                title={`${stepLabel(step.name)}: ${failed ? "failed" : "ok"} after ${formatPreciseDuration(step.durationMs)}`}
                className={cn(
                  "absolute inset-y-0.5 flex items-center overflow-hidden rounded-[3px] border px-1 text-[10px] font-medium",
                  failed ? "border-status-failed/50 bg-status-failed/25 text-foreground" : "border-status-submitted/40 bg-status-submitted/15 text-foreground",
                )}
                style={{ left: `${Math.min(step.offset * 100, 100 - width)}%`, width: `${width}%` }}
              >
                <span className="truncate">{stepLabel(step.name)}</span>
              </div>
            );
          })}
          {attempt.status === "running" ? <span className="absolute inset-y-0 right-0 w-8 bg-gradient-to-r from-transparent to-status-running/30 motion-safe:animate-pulse" /> : null}
        </div>
      </div>

      <div aria-hidden className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-muted-foreground">
        {model.queueMs !== null ? (
          <span className="inline-flex items-center gap-1">
            <Hourglass className="size-3" /> Queue wait
          </span>
        ) : (
          <span>Queue wait not recorded for this attempt</span>
        )}
        <span className="inline-flex items-center gap-1">
          <Play className="size-3" /> Run time, steps to scale
        </span>
      </div>

      <StepTimeline steps={attempt.steps} running={attempt.status === "running"} />
    </div>
  );
}

/** Who or what ended the attempt, in words: the filing, the error class and code at a step, or a lost worker. */
function AttemptEnding({ attempt, failingStep }: { attempt: CaseDetailAttempt; failingStep: string | null }) {
  if (attempt.status === "running") return null;
  if (attempt.status === "succeeded") {
    return (
      <span className="inline-flex items-center gap-1 text-muted-foreground">
        <CircleCheck aria-hidden className="size-3.5 text-status-submitted" /> Ended when the portal confirmed the filing
      </span>
    );
  }
  if (attempt.status === "held") {
    return (
      <span className="inline-flex items-center gap-1 text-muted-foreground">
        <ShieldQuestion aria-hidden className="size-3.5 text-status-review" /> Stopped before the final submit: a portal change it used waits for approval
      </span>
    );
  }
  if (attempt.status === "interrupted") {
    return (
      <span className="inline-flex items-center gap-1 text-muted-foreground">
        <Unplug aria-hidden className="size-3.5" /> Ended by the worker stopping{failingStep ? ` during ${stepLabel(failingStep).toLowerCase()}` : ""}; tried again
      </span>
    );
  }
  return (
    <span data-slot="attempt-ending" className="inline-flex flex-wrap items-center gap-1.5 text-muted-foreground">
      <CircleX aria-hidden className="size-3.5 text-status-failed" />
      <span>Ended{failingStep ? ` at ${stepLabel(failingStep).toLowerCase()}` : ""} by</span>
      {attempt.errorClass ? <ErrorClassChip errorClass={attempt.errorClass} size="sm" /> : <span>an unclassified error</span>}
      {attempt.errorCode ? <code className="font-mono text-[11px]">{attempt.errorCode}</code> : null}
    </span>
  );
}
