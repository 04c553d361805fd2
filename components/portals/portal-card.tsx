import Link from "next/link";
import { CircleCheck, CircleX, ExternalLink, PauseCircle, ShieldAlert, TriangleAlert } from "lucide-react";
import { OemBadge } from "@/components/oem/oem-badge";
import { ResumePortalButton } from "@/components/overview/resume-portal-button";
import { RelativeTime } from "@/components/relative-time";
import { ClassDotChip } from "@/components/overview/class-dot-chip";
import { getStatusMeta } from "@/components/runs/status-meta";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatDuration } from "@/lib/format/duration";
import { formatCount, formatCountOf, formatPercent } from "@/lib/format/number";
import type { AttemptWindow, PortalStat } from "@/lib/portals/portal-stats";
import { CredentialsDialog } from "./credentials-dialog";
import { CredentialsStatus } from "./credentials-status";
import { PausePortalButton } from "./pause-portal-button";

/** Below this share of successful attempts a rate is shown as a warning, below the second as a problem. */
const WARN_RATE = 0.9;
const BAD_RATE = 0.75;

/**
 * A rate with its warning: the figure stays in the text colour (the status tokens do not reach
 * 4.5:1 as text on a card in light mode), an icon in the status colour and words carry the meaning.
 */
function Rate({ rate }: { rate: number | null }) {
  if (rate === null) return <span className="text-muted-foreground">—</span>;
  const bad = rate < BAD_RATE;
  const warn = !bad && rate < WARN_RATE;
  return (
    <span className="inline-flex items-center gap-1.5">
      {bad ? <CircleX aria-hidden className="size-4 text-status-failed" /> : warn ? <TriangleAlert aria-hidden className="size-4 text-status-retry" /> : null}
      {formatPercent(rate)}
      {bad || warn ? <span className="sr-only">{bad ? `, below ${formatPercent(BAD_RATE)}` : `, below ${formatPercent(WARN_RATE)}`}</span> : null}
    </span>
  );
}

function Figure({ label, value, hint, valueClassName, testId }: { label: string; value: React.ReactNode; hint?: React.ReactNode; valueClassName?: string; testId?: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1" data-testid={testId}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn("text-xl font-semibold tracking-tight tabular-nums", valueClassName)}>{value}</dd>
      {hint ? <dd className="text-xs text-pretty text-muted-foreground tabular-nums">{hint}</dd> : null}
    </div>
  );
}

function successHint(window: AttemptWindow): string {
  const ended = window.succeeded + window.failed;
  return ended === 0 ? "No attempt ended" : `${formatCount(window.succeeded)} of ${formatCountOf(ended, "attempt")}`;
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** One portal: state and action, success 24 h / 7 d, p95 attempt time, sessions against the limit, site changes, last failure. */
export function PortalCard({ portal }: { portal: PortalStat }) {
  const paused = portal.pausedAt !== null;
  const host = hostOf(portal.portalUrl);
  const failure = portal.lastFailure;
  const failureStatus = failure ? getStatusMeta(failure.status) : null;
  return (
    <Card className={cn("gap-5", paused && "border-status-retry/50")} data-testid={`portal-${portal.id}`} aria-label={portal.label} role="region">
      <CardHeader className="grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 has-data-[slot=card-action]:grid-cols-[auto_1fr_auto]">
        <OemBadge label={portal.label} color={portal.color} monogram={portal.monogram} size="lg" className="row-span-2" />
        <CardTitle className="flex items-center gap-2 self-end">
          <span className="truncate">{portal.label}</span>
          {paused ? (
            <Badge variant="outline" className="border-status-retry/50 bg-status-retry/10" data-testid="portal-state">
              <PauseCircle aria-hidden className="text-status-retry" /> Paused
            </Badge>
          ) : (
            <Badge variant="outline" className="border-status-submitted/50 bg-status-submitted/10" data-testid="portal-state">
              <CircleCheck aria-hidden className="text-status-submitted" /> Filing
            </Badge>
          )}
        </CardTitle>
        <CardDescription className="col-start-2 flex items-center gap-1 truncate text-xs">
          {host && portal.portalUrl ? (
            <a href={portal.portalUrl} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 rounded-sm underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
              {host} <ExternalLink aria-hidden className="size-3" />
              <span className="sr-only">(opens the portal in a new tab)</span>
            </a>
          ) : (
            "No portal address configured"
          )}
        </CardDescription>
        <CardAction className="col-start-3">{paused ? <ResumePortalButton oemId={portal.id} label={portal.label} /> : <PausePortalButton oemId={portal.id} label={portal.label} />}</CardAction>
      </CardHeader>

      <CardContent className="flex flex-col gap-5">
        {paused ? (
          <p className="flex items-start gap-2 rounded-md border border-status-retry/30 bg-status-retry/5 px-3 py-2 text-sm text-pretty" data-testid="paused-reason">
            <PauseCircle aria-hidden className="mt-0.5 size-4 shrink-0 text-status-retry" />
            <span>
              <span className="font-medium">
                Paused <RelativeTime date={portal.pausedAt!} />.
              </span>{" "}
              {portal.pausedReason ?? "No reason was given."} No new attempt starts until it is resumed.
            </span>
          </p>
        ) : null}

        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 rounded-md border px-3 py-2" data-testid="credentials">
          <div className="flex min-w-0 flex-col gap-0.5">
            <p className="text-xs text-muted-foreground">Credentials</p>
            <CredentialsStatus status={portal.credentials} />
          </div>
          <CredentialsDialog oemId={portal.id} label={portal.label} status={portal.credentials} pausedForAuth={portal.pausedForAuth} authFailedRuns={portal.authFailedRuns} />
        </div>

        <dl className="grid grid-cols-2 gap-x-4 gap-y-4 sm:grid-cols-3">
          <Figure label="Success, 24 h" value={<Rate rate={portal.day.successRate} />} hint={successHint(portal.day)} testId="success-day" />
          <Figure label="Success, 7 days" value={<Rate rate={portal.week.successRate} />} hint={successHint(portal.week)} testId="success-week" />
          <Figure
            label="Attempt time, p95"
            value={portal.week.p95Ms === null ? "—" : formatDuration(portal.week.p95Ms)}
            hint={portal.day.p95Ms === null ? "none in the last 24 h" : `${formatDuration(portal.day.p95Ms)} in the last 24 h`}
            testId="p95"
          />
          <Figure
            label="Sessions in use"
            value={
              <span>
                {formatCount(portal.sessions.inUse)} <span className="text-sm font-normal text-muted-foreground">of {formatCount(portal.limit)}</span>
              </span>
            }
            hint={`${portal.limitSource === "portal" ? "This portal's limit" : "The default limit"}${portal.sessions.idle > 0 ? ` · ${formatCount(portal.sessions.idle)} kept for reuse` : ""}`}
            testId="sessions"
          />
          <Figure
            label="Site changed, 7 days"
            value={formatCount(portal.siteChangedWeek)}
            hint={portal.siteChangedWeek === 0 ? "No attempt met a changed page" : portal.siteChangedWeek === 1 ? "attempt met a changed page" : "attempts met a changed page"}
            testId="site-changed"
          />
        </dl>

        <div className="flex flex-col gap-2 border-t pt-4" data-testid="last-failure">
          <p className="text-xs text-muted-foreground">Last terminal fail</p>
          {failure && failureStatus ? (
            <div className="flex flex-col gap-1.5">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Link href={`/cases/${failure.caseId}`} className="rounded-sm font-medium underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
                  {failure.reference}
                </Link>
                {failure.errorClass ? <ClassDotChip errorClass={failure.errorClass} /> : null}
                <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground">
                  <span aria-hidden className={cn("size-1.5 rounded-full", failureStatus.fillClassName)} />
                  {failureStatus.label}
                </span>
                <span className="text-xs text-muted-foreground">
                  <RelativeTime date={failure.finishedAt} />
                </span>
              </div>
              <p className="text-sm text-pretty text-muted-foreground">{failure.reason ?? "No reason was recorded for this older run."}</p>
            </div>
          ) : (
            <p className="flex items-center gap-2 text-sm text-muted-foreground">
              <ShieldAlert aria-hidden className="size-4 opacity-60" /> No terminal fail on this portal yet.
            </p>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
