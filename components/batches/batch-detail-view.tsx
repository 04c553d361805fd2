"use client";

import { AlarmClock, CircleCheck, CircleX, Gauge, MessageSquareText, Sparkles, Timer } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { BATCH_TRIGGER_LABELS } from "@/components/batches/batch-trigger-labels";
import { OemBadge } from "@/components/oem/oem-badge";
import { fetchJson, type Jsonified } from "@/components/query/fetch-json";
import { ORDER_META } from "@/components/recipe/recipe-fields";
import { StatusBar } from "@/components/runs/status-bar";
import { Breadcrumbs } from "@/components/shell/breadcrumbs";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { BatchDetail } from "@/lib/overview/get-batch-detail";
import { OPEN_RUN_STATUSES, RUN_STATUSES, isOneOf, type RunStatus } from "@/lib/domain/vocabulary";
import { formatDuration } from "@/lib/format/duration";
import { formatCount, formatShare } from "@/lib/format/number";
import { humanize } from "@/lib/format/text";
import { BatchBadges } from "./batch-badges";
import { BatchRuns } from "./batch-runs";
import { BatchTime } from "./batch-time";
import { batchKeys } from "./batches-api";
import { CancelBatchButton } from "./cancel-batch-button";
import { DigestCard } from "./digest-card";

export type BatchDetailJson = Jsonified<BatchDetail>;

const SEGMENTS: readonly RunStatus[] = [...RUN_STATUSES.filter((s) => !isOneOf(OPEN_RUN_STATUSES, s)), ...[...OPEN_RUN_STATUSES].reverse()];

export interface BatchOemIdentity {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

function Stat({ icon: Icon, label, value, detail, tone }: { icon: typeof Gauge; label: string; value: React.ReactNode; detail?: React.ReactNode; tone?: string }) {
  return (
    <Card className="gap-2 py-4">
      <CardContent className="flex flex-col gap-1.5 px-4">
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <Icon aria-hidden className={cn("size-3.5", tone)} />
          {label}
        </p>
        <p className={cn("text-2xl font-semibold tracking-tight tabular-nums", tone)}>{value}</p>
        {detail ? <p className="text-xs text-muted-foreground">{detail}</p> : null}
      </CardContent>
    </Card>
  );
}

/** Words for the recipe a batch ran with. */
function parameterLines(detail: BatchDetailJson, oems: readonly BatchOemIdentity[]): Array<[string, string]> {
  const p = detail.batch.parameters;
  const names = (ids: readonly string[]) => ids.map((id) => oems.find((o) => o.id === id)?.label ?? id).join(", ");
  const limits = Object.entries(p.portalConcurrency).map(([id, n]) => `${oems.find((o) => o.id === id)?.label ?? id} ${n}`);
  return [
    ["Cases", p.caseIdCount !== null ? `${formatCount(p.caseIdCount)} chosen case${p.caseIdCount === 1 ? "" : "s"}` : p.oemIds.length > 0 ? names(p.oemIds) : "Every OEM"],
    ["Kinds", p.caseKinds.length > 0 ? p.caseKinds.map(humanize).join(", ") : "Every kind"],
    ["Order", ORDER_META[p.order].label],
    ["Sessions", `${p.concurrency} in all · ${p.defaultPortalConcurrency} per portal${limits.length > 0 ? ` (${limits.join(", ")})` : ""}`],
    ["Retries", p.retry ? `${p.retry.maxAttempts} attempts, ${formatDuration(p.retry.delaySeconds * 1000)} apart` : "The deployment's policy"],
    ["Dry run", p.dryRun ? "Yes: nothing is submitted" : "No"],
    ["Recipe", detail.batch.recipeVersion === null ? "Defaults" : `Version ${detail.batch.recipeVersion}`],
    ["Started by", detail.batch.createdBy],
  ];
}

/** One batch: where it stands against its deadline, by OEM, its parameters, its digest and its runs. */
export function BatchDetailView({ initial, oems }: { initial: BatchDetailJson; oems: readonly BatchOemIdentity[] }) {
  const { data: detail } = useQuery({
    queryKey: batchKeys.detail(initial.batch.id),
    queryFn: () => fetchJson<BatchDetailJson>(`/api/batches/${initial.batch.id}`, { cache: "no-store", fallback: "The batch could not be loaded." }),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.counts.remaining ? 5_000 : 30_000),
  });
  const { batch, counts } = detail;
  const settled = counts.total - counts.remaining;
  const live = batch.status === "running" || batch.status === "planned";
  const deadline = batch.deadline ? new Date(batch.deadline) : null;
  const projected = detail.projectedFinish ? new Date(detail.projectedFinish) : null;

  return (
    <div className="flex flex-col gap-6">
      <Breadcrumbs items={[{ label: "Batches", href: "/batches" }, { label: BATCH_TRIGGER_LABELS[batch.trigger] }]} />

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-xl font-semibold tracking-tight">
              {BATCH_TRIGGER_LABELS[batch.trigger]}
              {batch.nightKey ? <span className="text-muted-foreground"> · night of {batch.nightKey}</span> : null}
            </h2>
            <span className="rounded-md border px-2 py-0.5 text-xs font-medium">{humanize(batch.status)}</span>
            <BatchBadges flags={{ atRisk: detail.atRisk, late: batch.late, backfilled: batch.backfilled, dryRun: batch.parameters.dryRun, cancelled: batch.status === "cancelled" }} />
          </div>
          <p className="text-sm text-muted-foreground">
            Started <BatchTime value={batch.startedAt} fallback="not yet" /> · deadline <BatchTime value={batch.deadline} fallback="none" />
            {batch.finishedAt ? (
              <>
                {" "}
                · finished <BatchTime value={batch.finishedAt} />
              </>
            ) : null}
          </p>
          {batch.status === "cancelled" ? (
            <p className="text-sm text-muted-foreground">
              Cancelled by {batch.cancelledBy ?? "someone"}
              {batch.cancelReason ? `: “${batch.cancelReason}”` : "."}
            </p>
          ) : null}
        </div>
        {live ? <CancelBatchButton batchId={batch.id} open={counts.remaining} /> : null}
      </div>

      {batch.parameters.opsNote ? (
        <div className="flex items-start gap-3 rounded-lg border border-status-running/25 bg-status-running/5 px-4 py-3 text-sm">
          <MessageSquareText aria-hidden className="mt-0.5 size-4 shrink-0 text-status-running" />
          <div className="flex flex-col gap-0.5">
            <p className="text-xs font-medium text-status-running">Note for tonight</p>
            <p className="text-pretty">{batch.parameters.opsNote}</p>
          </div>
        </div>
      ) : null}

      {batch.instruction ? (
        <div className="flex items-start gap-3 rounded-lg border bg-muted/40 px-4 py-3 text-sm" data-testid="batch-instruction">
          <Sparkles aria-hidden className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
          <div className="flex flex-col gap-0.5">
            <p className="text-xs font-medium text-muted-foreground">Started from an instruction in words</p>
            <p className="text-pretty">“{batch.instruction}”</p>
          </div>
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat icon={Gauge} label="Settled" value={`${formatCount(settled)} / ${formatCount(counts.total)}`} detail={`${formatCount(counts.submitted)} submitted · ${formatCount(counts.terminalFails)} need a person${counts.rehearsed > 0 ? ` · ${formatCount(counts.rehearsed)} rehearsed` : ""}`} />
        <Stat
          icon={Timer}
          label="Throughput"
          value={detail.throughput.perMinute === null ? "—" : `${detail.throughput.perMinute.toFixed(1)}/min`}
          detail={detail.throughput.basis === "window" ? `Last ${detail.throughput.windowMinutes} min` : detail.throughput.basis === "batch" ? "Since the start" : "Nothing finished yet"}
        />
        <Stat
          icon={AlarmClock}
          label={counts.remaining > 0 ? "Projected finish" : "Finished"}
          value={counts.remaining > 0 ? <BatchTime value={detail.projectedFinish} fallback="—" /> : <BatchTime value={batch.finishedAt} fallback="—" />}
          tone={detail.atRisk ? "text-status-retry" : undefined}
          detail={
            counts.remaining > 0 && projected && deadline
              ? projected > deadline
                ? `${formatDuration(projected.getTime() - deadline.getTime())} after the deadline`
                : `${formatDuration(deadline.getTime() - projected.getTime())} before the deadline`
              : `${formatCount(counts.remaining)} open`
          }
        />
        <Stat
          icon={detail.metSla === false ? CircleX : CircleCheck}
          label="Done by morning"
          value={detail.metSla === null ? (live ? "Running" : "—") : detail.metSla ? "Met" : "Missed"}
          tone={detail.metSla === true ? "text-status-submitted" : detail.metSla === false ? "text-status-failed" : undefined}
          detail={detail.metSla === null ? "Decided with the morning digest" : "Every case submitted or explained before the deadline"}
        />
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Progress</CardTitle>
          <CardDescription>
            {formatShare(settled, Math.max(counts.total, 1))} settled{counts.remaining > 0 ? ` · ${formatCount(counts.remaining)} still open` : ""}.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          <StatusBar counts={counts.byStatus} order={SEGMENTS} className="h-3" />
          <ul className="flex flex-col gap-3">
            {detail.oems.map((oem) => (
              <li key={oem.oemId} className="grid items-center gap-3 sm:grid-cols-[14rem_1fr_9rem]">
                <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="sm" showLabel />
                <StatusBar counts={oem.counts} order={SEGMENTS} />
                <span className="text-xs text-muted-foreground tabular-nums sm:text-right">
                  {formatCount(oem.submitted)} submitted · {formatCount(oem.open)} open
                  {oem.terminalFails > 0 ? ` · ${formatCount(oem.terminalFails)} fail` : ""}
                </span>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>

      {detail.digest ? <DigestCard digest={detail.digest} oems={oems} /> : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <BatchRuns batchId={batch.id} oems={oems} live={live} settled={settled} />
        <Card className="h-fit">
          <CardHeader>
            <CardTitle>Parameters</CardTitle>
            <CardDescription>What this batch ran with.</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="flex flex-col gap-3 text-sm">
              {parameterLines(detail, oems).map(([label, value]) => (
                <div key={label} className="flex flex-col gap-0.5">
                  <dt className="text-xs text-muted-foreground">{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
