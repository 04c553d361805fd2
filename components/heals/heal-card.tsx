import Link from "next/link";
import { Bot, Hourglass, ImageOff, Ruler } from "lucide-react";
import { stepLabel } from "@/components/cases/labels";
import { OemBadge } from "@/components/oem/oem-badge";
import { RelativeTime } from "@/components/relative-time";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { ScreenshotLightbox } from "@/components/runs/screenshot-lightbox";
import { Badge } from "@/components/ui/badge";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatCountOf } from "@/lib/format/number";
import type { HealRunView, HealView } from "@/lib/heals/list-heals";
import { AriaDiff } from "./aria-diff";
import { HealActionButton } from "./heal-actions";
import { HealChangeDetails } from "./heal-change";

const USE_LABELS: Record<HealRunView["use"], string> = {
  awaiting_approval: "waiting to submit",
  provisional: "filled with it",
  filed: "filed with it",
  parked: "parked",
};

/** "Rule" or "Model · $0.0031": who proposed the heal. */
export function ProposerBadge({ heal }: { heal: Pick<HealView, "proposedBy" | "costUsd"> }) {
  const Icon = heal.proposedBy === "model" ? Bot : Ruler;
  return (
    <Badge variant="outline" title={heal.proposedBy === "model" ? "The model tier chose among numbered candidates; Nightshift built and checked the locator." : "The deterministic scorer found a clear winner."}>
      <Icon aria-hidden />
      {heal.proposedBy === "model" ? `Model${heal.costUsd !== null ? ` · $${heal.costUsd.toFixed(4)}` : ""}` : "Rule"}
    </Badge>
  );
}

/** The runs that used the heal or wait for it, each a link to its run page. */
export function HealRuns({ runs }: { runs: HealRunView[] }) {
  if (runs.length === 0) return <p className="text-xs text-muted-foreground">No run has used it yet.</p>;
  return (
    <ul className="flex flex-col gap-1.5" aria-label="Runs">
      {runs.slice(0, 8).map((run) => (
        <li key={run.runId} className="flex flex-wrap items-center gap-2 text-sm">
          <Link href={`/runs/${run.runId}`} className="font-medium tabular-nums underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none">
            {run.caseReference}
          </Link>
          <RunStatusBadge status={run.runStatus} size="sm" />
          <span className="text-xs text-muted-foreground">{USE_LABELS[run.use]}</span>
        </li>
      ))}
      {runs.length > 8 ? <li className="text-xs text-muted-foreground">and {formatCountOf(runs.length - 8, "more run")}</li> : null}
    </ul>
  );
}

/**
 * A proposal in the review queue: its changes (what missed, the proposed locator, scores and
 * checks), the accessibility diff of each step side by side, the screenshot with the healed
 * targets outlined, the runs waiting for it, and Approve / Reject.
 */
export function HealCard({ heal }: { heal: HealView }) {
  const targets = heal.changes.filter((c) => c.kind === "target").length;
  const overlays = heal.changes.length - targets;
  const summary = [targets > 0 ? formatCountOf(targets, "element") : null, overlays > 0 ? formatCountOf(overlays, "pop-up") : null].filter(Boolean).join(" and ");
  return (
    <Card className="gap-5" role="article" aria-label={`Heal proposal: ${heal.oem.label}`} data-testid="heal-proposal" data-heal-id={heal.id}>
      <CardHeader className="grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 has-data-[slot=card-action]:grid-cols-[auto_1fr_auto]">
        <OemBadge label={heal.oem.label} color={heal.oem.color} monogram={heal.oem.monogram} size="md" className="row-span-2" />
        <CardTitle className="flex flex-wrap items-center gap-2 self-end">
          <span>
            {heal.oem.label}: {summary} found another way
          </span>
          <ProposerBadge heal={heal} />
        </CardTitle>
        <CardDescription className="col-start-2 flex flex-wrap items-center gap-x-2 text-xs">
          <span>
            Proposed <RelativeTime date={heal.createdAt} /> · adapter v{heal.adapterVersion}
          </span>
          {heal.waitingRuns > 0 ? (
            <span className="inline-flex items-center gap-1 font-medium text-foreground">
              <Hourglass aria-hidden className="size-3 text-status-retry" />
              {formatCountOf(heal.waitingRuns, "run")} waiting to submit
            </span>
          ) : null}
        </CardDescription>
        <CardAction className="col-start-3 flex flex-wrap gap-2">
          <HealActionButton action="reject" healId={heal.id} oemLabel={heal.oem.label} waitingRuns={heal.waitingRuns} />
          <HealActionButton action="approve" healId={heal.id} oemLabel={heal.oem.label} waitingRuns={heal.waitingRuns} />
        </CardAction>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_16rem]">
          <div className="flex min-w-0 flex-col gap-3">
            {heal.changes.map((change, k) => (
              <HealChangeDetails key={k} change={change} />
            ))}
          </div>
          <div className="flex flex-col gap-4">
            {heal.screenshotUrl ? (
              <div className="flex flex-col gap-1.5">
                <ScreenshotLightbox src={heal.screenshotUrl} title={`${heal.oem.label}: the page with the healed elements outlined`} step={null} takenAt={heal.createdAt} size="md" />
                <p className="text-xs text-muted-foreground">Healed elements outlined · click to enlarge</p>
              </div>
            ) : (
              <div className="flex aspect-[16/10] flex-col items-center justify-center gap-2 rounded-lg border border-dashed bg-muted/30 text-center text-xs text-muted-foreground">
                <ImageOff aria-hidden className="size-5" />
                No screenshot was kept
              </div>
            )}
            <div className="flex flex-col gap-1.5">
              <p className="text-xs font-medium text-muted-foreground">Where it was used</p>
              <HealRuns runs={heal.runs} />
            </div>
          </div>
        </div>
        {heal.snapshots.map((snapshot) => (
          <div key={snapshot.step} className="flex flex-col gap-1.5">
            <p className="text-xs font-medium text-muted-foreground">Step: {stepLabel(snapshot.step)}</p>
            <AriaDiff before={snapshot.before} after={snapshot.after} />
          </div>
        ))}
      </CardContent>
    </Card>
  );
}
