import { History, Server } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { RelativeTime } from "@/components/relative-time";
import { AttemptStatusBadge } from "@/components/runs/attempt-status-badge";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { AttemptEvidence, AttemptScreenshots } from "@/components/evidence/attempt-evidence";
import { AttemptTimeline } from "@/components/evidence/attempt-timeline";
import { Card } from "@/components/ui/card";
import type { CaseDetailAttempt, CaseDetailRun } from "@/lib/cases/queries/get-case-detail";
import { formatPreciseDuration } from "@/components/evidence/attempt-timeline-model";
import { formatCount } from "@/lib/format/number";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-[11px] text-muted-foreground">{label}</dt>
      <dd className="text-sm tabular-nums">{children}</dd>
    </div>
  );
}

function AttemptRow({ attempt }: { attempt: CaseDetailAttempt }) {
  return (
    <li data-slot="attempt" data-attempt={attempt.number} className="flex flex-col gap-3 px-4 py-4 sm:px-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:gap-4">
        <div className="flex min-w-0 flex-1 flex-col gap-2.5">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <h4 className="text-sm font-medium">Attempt {attempt.number}</h4>
            <AttemptStatusBadge status={attempt.status} />
          </div>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground tabular-nums">
            <span>
              Started <RelativeTime date={attempt.startedAt} />
            </span>
            {attempt.workerId ? (
              <>
                <span aria-hidden>·</span>
                <span className="inline-flex items-center gap-1">
                  <Server aria-hidden className="size-3" />
                  <span className="sr-only">Worker</span>
                  <span className="font-mono">{attempt.workerId}</span>
                </span>
              </>
            ) : null}
          </p>
          {attempt.errorMessage ? (
            <p className="line-clamp-2 text-xs text-pretty text-muted-foreground" title={attempt.errorMessage}>
              {attempt.errorMessage}
            </p>
          ) : null}
          <AttemptTimeline attempt={attempt} />
        </div>
        <AttemptScreenshots attempt={attempt} />
      </div>
      <AttemptEvidence attempt={attempt} />
    </li>
  );
}

function RunCard({ run, index, total }: { run: CaseDetailRun; index: number; total: number }) {
  return (
    <Card id={`run-${run.id}`} data-slot="run" className="scroll-mt-20 gap-0 overflow-hidden py-0 target:ring-2 target:ring-ring/60">
      <div className="flex flex-col gap-3 border-b bg-muted/30 px-4 py-3 sm:px-5">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <div className="flex min-w-0 items-center gap-2">
            <h3 className="text-sm font-semibold">Run {formatCount(total - index)}</h3>
            <span className="truncate text-sm text-muted-foreground">· {run.batch ? BATCH_TRIGGER_LABELS[run.batch.trigger] : "One-off"}</span>
            {index === 0 && total > 1 ? <span className="rounded-full border bg-background px-1.5 text-[10px] font-medium text-muted-foreground">Latest</span> : null}
          </div>
          <RunStatusBadge status={run.status} size="sm" />
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:flex sm:flex-wrap">
          <Meta label="Started">{run.startedAt ? <RelativeTime date={run.startedAt} /> : <span className="text-muted-foreground">Not yet</span>}</Meta>
          <Meta label="Duration">
            {run.finishedAt ? formatPreciseDuration(run.finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime()) : <span className="text-muted-foreground">In progress</span>}
          </Meta>
          <Meta label="Attempts">
            {formatCount(run.attemptCount)}
            <span className="text-muted-foreground"> of {formatCount(run.maxAttempts)}</span>
          </Meta>
          {run.status === "retry_scheduled" && run.nextAttemptAt ? (
            <Meta label="Next attempt">
              <RelativeTime date={run.nextAttemptAt} />
            </Meta>
          ) : null}
          {run.confirmationNumber ? (
            <Meta label="Confirmation">
              <span className="font-mono text-xs font-medium">{run.confirmationNumber}</span>
            </Meta>
          ) : null}
        </dl>
      </div>
      {run.attempts.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted-foreground">Waiting for a free worker; no attempt has started yet.</p>
      ) : (
        <ol className="divide-y">
          {run.attempts.map((attempt) => (
            <AttemptRow key={attempt.id} attempt={attempt} />
          ))}
        </ol>
      )}
    </Card>
  );
}

/** Every run of the case, newest first, each with its attempts, steps and screenshots. */
export function CaseRuns({ runs }: { runs: CaseDetailRun[] }) {
  if (runs.length === 0) {
    return (
      <EmptyState
        icon={History}
        title="Not submitted yet"
        description="This case has not been in a batch yet. The next nightly batch picks it up, or ops can run it now."
        className="bg-card"
      />
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {runs.map((run, index) => (
        <RunCard key={run.id} run={run} index={index} total={runs.length} />
      ))}
    </div>
  );
}
