"use client";

import { useState } from "react";
import Link from "next/link";
import { ArrowRight, BellRing, ChevronDown, ChevronUp, Fingerprint, ImageOff, MessageSquareText } from "lucide-react";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { stepLabel } from "@/components/cases/labels";
import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { ErrorClassChip } from "@/components/runs/error-class-chip";
import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatAbsoluteDate } from "@/lib/format/date";
import { formatCount, formatCountOf } from "@/lib/format/number";
import { AcknowledgeButton, ChangeClassButton, ClearAcknowledgementButton, RetryGroupButton } from "./group-actions";
import { LANE_META } from "./lane-meta";
import type { TriageGroupJson } from "./triage-api";

function Seen({ label, at }: { label: string; at: string | null }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{at ? <RelativeTime date={at} /> : <span className="text-muted-foreground">Unknown</span>}</dd>
    </div>
  );
}

function Heading({ group }: { group: TriageGroupJson }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <OemBadge label={group.oem.label} color={group.oem.color} monogram={group.oem.monogram} size="sm" showLabel />
      {group.errorClass ? <ErrorClassChip errorClass={group.errorClass} size="sm" /> : null}
      {group.errorCode ? <code className="rounded-md border bg-muted/50 px-1.5 py-0.5 font-mono text-xs text-muted-foreground">{group.errorCode}</code> : null}
      {group.mixedClasses ? <span className="rounded-md border px-1.5 py-0.5 text-xs text-muted-foreground">mixed classes</span> : null}
    </div>
  );
}

/**
 * One triage group: the reason beside the newest screenshot, how many cases, since when, from
 * which batches, its newest cases and a link to all its runs; retry, change class, acknowledge.
 * An acknowledged group with nothing new is collapsed to one line with its note.
 */
export function TriageGroupCard({ group }: { group: TriageGroupJson }) {
  const ack = group.acknowledgement;
  const collapsible = ack?.state === "acknowledged";
  const [expanded, setExpanded] = useState(false);
  const lane = LANE_META[group.lane];
  const failure = group.sample?.failure ?? null;
  const headingId = `group-${group.groupId}`;

  if (collapsible && !expanded) {
    return (
      <Card data-slot="triage-group" data-group-id={group.groupId} data-state="acknowledged" aria-labelledby={headingId} className="gap-0 py-0">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <h4 id={headingId} className="sr-only">
            {group.oem.label}: {failure?.reason ?? "terminal fails"} (acknowledged)
          </h4>
          <Heading group={group} />
          <span className="text-sm font-medium tabular-nums">{formatCountOf(group.count, "case")}</span>
          <p className="flex min-w-0 flex-1 items-center gap-1.5 text-sm text-muted-foreground">
            <MessageSquareText aria-hidden className="size-3.5 shrink-0" />
            <span className="truncate">
              Acknowledged by {ack.actor} <RelativeTime date={ack.acknowledgedAt} />: “{ack.note}”
            </span>
          </p>
          <Button variant="ghost" size="sm" aria-expanded={false} onClick={() => setExpanded(true)}>
            <ChevronDown aria-hidden /> Show
          </Button>
        </div>
      </Card>
    );
  }

  const more = group.count - group.cases.length;
  return (
    <Card data-slot="triage-group" data-group-id={group.groupId} data-state={ack ? ack.state : "open"} aria-labelledby={headingId} className="relative gap-0 overflow-hidden py-0">
      <span aria-hidden className={cn("absolute inset-y-0 left-0 w-1", lane.fillClassName)} />
      <div className="grid gap-5 p-5 pl-6 md:grid-cols-[minmax(0,1fr)_13rem] lg:grid-cols-[minmax(0,1fr)_16rem]">
        <div className="flex min-w-0 flex-col gap-4">
          <div className="flex flex-col gap-2.5">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <Heading group={group} />
              <p className="text-sm font-semibold tabular-nums">
                <span className="text-2xl tracking-tight">{formatCount(group.count)}</span> {group.count === 1 ? "case" : "cases"}
              </p>
            </div>
            <h4 id={headingId} className="text-base leading-snug font-medium text-pretty">
              {failure?.reason ?? "Terminal fails without a recorded reason."}
            </h4>
          </div>

          {ack?.state === "new_since" ? (
            <div className="flex gap-2.5 rounded-lg border border-status-retry/30 bg-status-retry/10 px-3 py-2.5 text-sm">
              <BellRing aria-hidden className="mt-0.5 size-4 shrink-0 text-status-retry" />
              <p className="text-pretty">
                <span className="font-medium">{formatCountOf(ack.newSince, "new failure")} since</span> {ack.actor} acknowledged it <RelativeTime date={ack.acknowledgedAt} />: “{ack.note}”
              </p>
            </div>
          ) : null}

          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4">
            <Seen label="First seen" at={group.firstSeenAt} />
            <Seen label="Last seen" at={group.lastSeenAt} />
            <div className="flex flex-col gap-0.5">
              <dt className="text-xs text-muted-foreground">Failing step</dt>
              <dd className="text-sm">{failure?.failingStep ? stepLabel(failure.failingStep) : <span className="text-muted-foreground">Unknown</span>}</dd>
            </div>
            <div className="flex flex-col gap-0.5">
              <dt className="text-xs text-muted-foreground">Batches</dt>
              <dd className="flex flex-col text-sm">
                {group.batches.count === 0 ? <span className="text-muted-foreground">None (one-off runs)</span> : null}
                {group.batches.recent.map((batch) => (
                  <Link key={batch.id} href={`/batches/${batch.id}`} className="truncate underline-offset-4 hover:underline" suppressHydrationWarning>
                    {BATCH_TRIGGER_LABELS[batch.trigger]}, {formatAbsoluteDate(new Date(batch.createdAt))}
                  </Link>
                ))}
                {group.batches.count > group.batches.recent.length ? <span className="text-xs text-muted-foreground">and {formatCount(group.batches.count - group.batches.recent.length)} more</span> : null}
              </dd>
            </div>
          </dl>

          <div className="flex flex-col gap-1.5">
            <p className="text-xs text-muted-foreground">Newest cases</p>
            <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              {group.cases.map((c) => (
                <Link key={c.runId} href={`/cases/${c.caseId}`} className="font-medium underline-offset-4 hover:underline">
                  {c.reference}
                </Link>
              ))}
              {more > 0 ? <span className="text-muted-foreground">and {formatCount(more)} more</span> : null}
              <Link href={group.runsHref} className="inline-flex items-center gap-1 font-medium text-primary underline-offset-4 hover:underline">
                Runs in this group <ArrowRight aria-hidden className="size-3.5" />
              </Link>
            </p>
          </div>

          <div className="flex flex-wrap items-center gap-2">
            <RetryGroupButton group={group} />
            <ChangeClassButton group={group} />
            <AcknowledgeButton group={group} label={ack ? "Edit note" : "Acknowledge"} />
            {ack ? <ClearAcknowledgementButton group={group} /> : null}
            {collapsible ? (
              <Button variant="ghost" size="sm" aria-expanded onClick={() => setExpanded(false)}>
                <ChevronUp aria-hidden /> Collapse
              </Button>
            ) : null}
          </div>
        </div>

        <div className="flex flex-col gap-2">
          {failure?.screenshotUrl && group.sample ? (
            <>
              <ScreenshotLightbox
                src={failure.screenshotUrl}
                title={`Failure screenshot, ${group.sample.reference}`}
                step={failure.failingStep ? stepLabel(failure.failingStep) : null}
                takenAt={group.lastSeenAt}
                size="lg"
              />
              <p className="text-xs text-muted-foreground">
                Newest failure,{" "}
                <Link href={`/cases/${group.sample.caseId}`} className="font-medium text-foreground underline-offset-4 hover:underline">
                  {group.sample.reference}
                </Link>
              </p>
            </>
          ) : (
            <div className="flex aspect-[16/10] flex-col items-center justify-center gap-2 rounded-lg border border-dashed bg-muted/30 text-center text-xs text-muted-foreground">
              <ImageOff aria-hidden className="size-5" />
              No screenshot was kept
            </div>
          )}
          <p className="flex items-center gap-1.5 font-mono text-xs text-muted-foreground" title="Equal fingerprints are the same problem: OEM × step × normalised error">
            <Fingerprint aria-hidden className="size-3.5 shrink-0" />
            <span className="sr-only">Fingerprint</span>
            {group.fingerprint}
          </p>
        </div>
      </div>
    </Card>
  );
}
