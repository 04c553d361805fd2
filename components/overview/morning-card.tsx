import Link from "next/link";
import { AlarmClock, ArrowRight, CircleCheck, CircleDashed, CircleX, FlaskConical, LoaderCircle, MoonStar, type LucideIcon } from "lucide-react";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { RelativeTime } from "@/components/relative-time";
import { EmptyState } from "@/components/empty-state";
import { ClassDotChip } from "./class-dot-chip";
import { ClockTime } from "./clock-time";
import { StatusBar } from "@/components/runs/status-bar";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatCount, formatCountOf, formatShare } from "@/lib/format/number";
import { formatDuration, formatDurationBetween } from "@/lib/format/duration";
import { OPEN_RUN_STATUSES, RUN_STATUSES, isOneOf, type RunStatus } from "@/lib/domain/vocabulary";
import type { OverviewBatch } from "@/lib/overview/get-overview";
import type { MorningVerdict } from "@/lib/overview/morning-verdict";
import { formatNight } from "@/lib/overview/night-figures";

/** Settled runs first, then the open ones from the furthest along. */
const RUN_ORDER: readonly RunStatus[] = [...RUN_STATUSES.filter((status) => !isOneOf(OPEN_RUN_STATUSES, status)), ...[...OPEN_RUN_STATUSES].reverse()];

const VERDICT_META: Record<MorningVerdict, { title: string; icon: LucideIcon; className: string; iconClassName: string }> = {
  done: { title: "Done by morning", icon: CircleCheck, className: "text-status-submitted", iconClassName: "bg-status-submitted/10 text-status-submitted" },
  on_track: { title: "On track for morning", icon: LoaderCircle, className: "text-status-running", iconClassName: "bg-status-running/10 text-status-running" },
  at_risk: { title: "At risk of missing the morning", icon: AlarmClock, className: "text-status-retry", iconClassName: "bg-status-retry/10 text-status-retry" },
  missed: { title: "Not done by morning", icon: CircleX, className: "text-status-failed", iconClassName: "bg-status-failed/10 text-status-failed" },
  not_started: { title: "Waiting to start", icon: CircleDashed, className: "text-muted-foreground", iconClassName: "bg-muted text-muted-foreground" },
};

function verdictSentence(batch: OverviewBatch): string {
  const { runCounts, totalRuns, openRuns, morning, deadline, settledAt } = batch;
  const submitted = runCounts.submitted ?? 0;
  const attention = (runCounts.failed ?? 0) + (runCounts.needs_review ?? 0) + (runCounts.parked ?? 0);
  const settled = totalRuns - openRuns;
  switch (morning.verdict) {
    case "done": {
      const margin = deadline && settledAt ? ` ${formatDuration(deadline.getTime() - settledAt.getTime())} before the deadline` : "";
      return `All ${formatCountOf(totalRuns, "case")} settled${margin}: ${formatCount(submitted)} submitted, ${formatCount(attention)} with a clear reason for a person.`;
    }
    case "on_track":
      return `${formatCount(settled)} of ${formatCountOf(totalRuns, "case")} settled so far; at this pace the batch finishes before the deadline.`;
    case "at_risk": {
      const late = deadline && morning.projectedFinishAt ? ` about ${formatDuration(morning.projectedFinishAt.getTime() - deadline.getTime())} late` : " late";
      return `${formatCount(settled)} of ${formatCountOf(totalRuns, "case")} settled; at this pace the batch finishes${late}.`;
    }
    case "missed":
      return openRuns > 0
        ? `The deadline passed with ${formatCountOf(openRuns, "case")} still open.`
        : `Every case settled, but after the deadline${deadline && settledAt ? ` (${formatDuration(settledAt.getTime() - deadline.getTime())} late)` : ""}.`;
    case "not_started":
      return totalRuns === 0 ? "The batch is planned; no case has been enqueued yet." : "Cases are enqueued and waiting for a free worker.";
  }
}

function Meta({ label, children, hint }: { label: string; children: React.ReactNode; hint?: React.ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="truncate text-sm font-medium tabular-nums">{children}</dd>
      {hint ? <dd className="truncate text-xs text-muted-foreground tabular-nums">{hint}</dd> : null}
    </div>
  );
}

/** "40 min after the deadline" / "1 h 5 min before the deadline", to the minute. */
function marginToDeadline(at: Date, deadline: Date): string {
  const ms = at.getTime() - deadline.getTime();
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes === 0) return ms > 0 ? "just after the deadline" : "just before the deadline";
  return `${formatDuration(minutes * 60_000)} ${ms > 0 ? "after" : "before"} the deadline`;
}

/** Badges beside "Latest batch": dry run, at risk (live), and the SLA verdict once the digest is built. */
function BatchBadges({ batch }: { batch: OverviewBatch }) {
  return (
    <>
      {batch.dryRun ? (
        <Badge variant="outline" className="font-normal">
          <FlaskConical aria-hidden /> Dry run
        </Badge>
      ) : null}
      {batch.atRisk && batch.openRuns > 0 ? (
        <Badge variant="outline" className="border-status-retry/40 bg-status-retry/10 text-status-retry" data-testid="at-risk-badge">
          <AlarmClock aria-hidden /> At risk
        </Badge>
      ) : null}
      {batch.digest ? (
        batch.digest.metSla ? (
          <Badge variant="outline" className="border-status-submitted/40 bg-status-submitted/10 text-status-submitted" data-testid="sla-badge">
            <CircleCheck aria-hidden /> SLA met
          </Badge>
        ) : (
          <Badge variant="outline" className="border-status-failed/40 bg-status-failed/10 text-status-failed" data-testid="sla-badge">
            <CircleX aria-hidden /> SLA missed
          </Badge>
        )
      ) : null}
    </>
  );
}

/** "Last night · Tue 1 Dec", "Tonight · Wed 2 Dec" (a nightly batch still working), or "Latest batch". */
function cardLabel(batch: OverviewBatch, variant: "night" | "latest"): string {
  if (variant === "latest" || batch.nightKey === null) return "Latest batch";
  return `${batch.openRuns > 0 || batch.status === "running" || batch.status === "planned" ? "Tonight" : "Last night"} · ${formatNight(batch.nightKey)}`;
}

/**
 * The hero: did the night clear everything by morning? `night` (the overview's top card) tells the
 * latest nightly batch in words with clock times in the schedule's zone ("Done by 5:42 AM — 212 of
 * 220 submitted · 3 need data fixes · 5 with engineering"); `latest` shows any other batch that is
 * newer (a Run now) with the verdict and the digest's headline.
 */
export function MorningCard({
  batch,
  now,
  className,
  variant = "latest",
  timeZone,
}: {
  batch: OverviewBatch | null;
  now: Date;
  className?: string;
  variant?: "night" | "latest";
  /** The schedule's zone: clock times of the night variant are said in it. */
  timeZone?: string;
}) {
  if (!batch) {
    return (
      <Card className={cn("justify-center", className)}>
        <CardContent>
          <EmptyState
            className="border-none"
            icon={MoonStar}
            title="The nightly batch has not run yet"
            description="Every night Nightshift picks up new cases and files them on the OEM portals. After the first batch, this card shows whether everything was done by morning."
          />
        </CardContent>
      </Card>
    );
  }

  const verdict = VERDICT_META[batch.morning.verdict];
  const VerdictIcon = verdict.icon;
  const night = variant === "night" && batch.nightKey !== null;
  const zone = night ? timeZone : undefined;
  const legend = RUN_ORDER.filter((status) => (batch.runCounts[status] ?? 0) > 0);
  const duration = batch.startedAt ? formatDurationBetween(batch.startedAt, batch.settledAt ?? batch.finishedAt) : "—";

  return (
    <Card className={cn("gap-0 py-0", className)}>
      <div className="flex flex-col gap-5 p-5 md:p-6">
        <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          <span className="font-medium text-foreground" data-testid="batch-card-label">
            {cardLabel(batch, variant)}
          </span>
          <Badge variant="outline" className="font-normal">
            {BATCH_TRIGGER_LABELS[batch.trigger]}
          </Badge>
          <span aria-hidden>·</span>
          <span>
            created <RelativeTime date={batch.createdAt} />
          </span>
          <BatchBadges batch={batch} />
          <Link
            href={`/batches/${batch.id}`}
            className="ml-auto inline-flex items-center gap-1 rounded-sm font-medium text-foreground underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
          >
            Open batch <ArrowRight aria-hidden className="size-3.5" />
          </Link>
        </div>

        <div className="flex items-start gap-4">
          <span className={cn("flex size-11 shrink-0 items-center justify-center rounded-xl", verdict.iconClassName)}>
            <VerdictIcon aria-hidden className={cn("size-6", batch.morning.verdict === "on_track" && "motion-safe:animate-spin [animation-duration:3s]")} />
          </span>
          {night ? (
            <div className="flex min-w-0 flex-col gap-1.5">
              <p className={cn("text-2xl font-semibold tracking-tight text-balance", verdict.className)} data-testid="night-title">
                <span className="sr-only">{verdict.title}: </span>
                {batch.words.title}
              </p>
              {batch.words.details.length > 0 ? (
                <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-muted-foreground" data-testid="night-details" aria-label={batch.words.details.join(", ")}>
                  {batch.words.details.map((detail, index) => (
                    <span key={detail} className="inline-flex items-center gap-2 tabular-nums">
                      {index > 0 ? <span aria-hidden>·</span> : null}
                      <span className={cn(index === 0 && "font-medium text-foreground")}>{detail}</span>
                    </span>
                  ))}
                </p>
              ) : null}
            </div>
          ) : (
            <div className="flex min-w-0 flex-col gap-1">
              <p className={cn("text-2xl font-semibold tracking-tight", verdict.className)}>{verdict.title}</p>
              <p className="text-sm text-pretty text-muted-foreground" data-testid="morning-sentence">
                {batch.digest ? batch.digest.headline : verdictSentence(batch)}
              </p>
            </div>
          )}
        </div>

        <div className="flex flex-col gap-3">
          <div className="flex items-baseline justify-between gap-2 text-sm">
            <span className="font-medium tabular-nums">
              {formatShare(batch.totalRuns - batch.openRuns, batch.totalRuns)} <span className="font-normal text-muted-foreground">settled</span>
            </span>
            <span className="text-muted-foreground tabular-nums">
              {formatCount(batch.totalRuns - batch.openRuns)} / {formatCount(batch.totalRuns)}
            </span>
          </div>
          <StatusBar counts={batch.runCounts} order={RUN_ORDER} className="h-2.5" />
          {legend.length > 0 ? (
            <ul className="flex flex-wrap gap-x-4 gap-y-1.5">
              {legend.map((status) => {
                const meta = getStatusMeta(status);
                const Icon = meta.icon;
                return (
                  <li key={status} className="flex items-center gap-1.5 text-xs">
                    <Icon aria-hidden className={cn("size-3.5", meta.textClassName)} />
                    <span className="text-muted-foreground">{meta.label}</span>
                    <span className="font-medium tabular-nums">{formatCount(batch.runCounts[status] ?? 0)}</span>
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-4 border-t bg-muted/30 px-5 py-4 sm:grid-cols-4 md:px-6">
        <Meta label="Started">{batch.startedAt ? <RelativeTime date={batch.startedAt} /> : "Not yet"}</Meta>
        <Meta label="Deadline" hint={batch.deadline ? <RelativeTime date={batch.deadline} /> : null}>
          {batch.deadline ? <ClockTime date={batch.deadline} timeZone={zone} /> : "No deadline"}
        </Meta>
        <Meta label={batch.openRuns > 0 ? "Running for" : "Took"}>
          {batch.openRuns > 0 && batch.startedAt ? formatDurationBetween(batch.startedAt, now) : duration}
        </Meta>
        {batch.openRuns > 0 ? (
          <Meta
            label="Projected finish"
            hint={
              batch.morning.projectedFinishAt && batch.deadline ? (
                <span className={cn(batch.atRisk && "font-medium text-status-retry")}>{marginToDeadline(batch.morning.projectedFinishAt, batch.deadline)}</span>
              ) : batch.morning.projectedFinishAt ? (
                <RelativeTime date={batch.morning.projectedFinishAt} />
              ) : (
                "after the first filings"
              )
            }
          >
            {batch.morning.projectedFinishAt ? <ClockTime date={batch.morning.projectedFinishAt} timeZone={zone} className={cn(batch.atRisk && "text-status-retry")} /> : "—"}
          </Meta>
        ) : (
          <Meta label="Settled" hint={batch.settledAt && batch.deadline ? marginToDeadline(batch.settledAt, batch.deadline) : null}>
            {batch.settledAt ? <RelativeTime date={batch.settledAt} /> : "—"}
          </Meta>
        )}
      </dl>

      {batch.failuresByClass.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2 border-t px-5 py-3 md:px-6">
          <span className="mr-1 text-xs text-muted-foreground">Why cases need attention</span>
          {batch.failuresByClass.map((entry) => (
            <span key={entry.errorClass} className="inline-flex items-center gap-1.5">
              <ClassDotChip errorClass={entry.errorClass} />
              <span className="text-xs font-medium tabular-nums">{formatCount(entry.count)}</span>
            </span>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
