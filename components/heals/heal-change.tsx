import { CircleCheck, CircleX, MousePointerClick, Sparkles } from "lucide-react";
import { stepLabel } from "@/components/cases/labels";
import { Badge } from "@/components/ui/badge";
import { formatPercent } from "@/lib/format/number";
import type { ElementFingerprint } from "@/lib/healing/types";
import type { HealChangeView } from "@/lib/heals/list-heals";

/** `button "Submit claim"` — how an element reads to a person. */
export function describeElement(fp: Pick<ElementFingerprint, "role" | "name" | "tag"> | null): string {
  if (!fp) return "nothing recorded";
  return `${fp.role ?? fp.tag} “${fp.name || "(no name)"}”`;
}

const FEATURE_LABELS: Record<string, string> = {
  role: "Role",
  name: "Accessible name",
  label: "Label",
  nameAttribute: "name attribute",
  id: "id",
  testId: "Test id",
  placeholder: "Placeholder",
  type: "Type",
  tag: "Tag",
  ancestors: "Place in the page",
  position: "Position",
  nearbyText: "Nearby text",
};

function Score({ value, label }: { value: number | null; label: string }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{value === null ? "—" : value.toFixed(2)}</dd>
    </div>
  );
}

/** One change of a heal: a target found another way (what missed, the proposed locator, the scores and checks), or an overlay dismissed. */
export function HealChangeDetails({ change }: { change: HealChangeView }) {
  if (change.kind === "overlay") {
    return (
      <div className="flex flex-col gap-2 rounded-md border px-3 py-2.5" data-testid="heal-change">
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant="outline">Pop-up</Badge>
          <span className="text-sm font-medium">{change.overlay.name || "Unnamed dialog"}</span>
          <span className="text-xs text-muted-foreground">at {stepLabel(change.step).toLowerCase()}</span>
        </div>
        {change.overlay.text ? <p className="line-clamp-2 text-sm text-pretty text-muted-foreground">“{change.overlay.text}”</p> : null}
        <p className="flex items-center gap-1.5 text-sm">
          <MousePointerClick aria-hidden className="size-3.5 text-muted-foreground" />
          {change.action.type === "click" ? (
            <>
              Dismissed by pressing <span className="font-medium">“{change.action.buttonName}”</span>
            </>
          ) : (
            "Dismissed with the Escape key"
          )}
          {change.navigated ? <span className="text-muted-foreground"> (the page changed: the form is filled again)</span> : null}
        </p>
        {change.refused.length > 0 ? <p className="text-xs text-muted-foreground">Never pressed: {change.refused.map((r) => `“${r}”`).join(", ")}</p> : null}
      </div>
    );
  }
  const reasons = [...change.reasons].sort((a, b) => b.contribution - a.contribution).slice(0, 6);
  return (
    <div className="flex flex-col gap-3 rounded-md border px-3 py-2.5" data-testid="heal-change">
      <div className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{change.targetId}</code>
          {!change.reversible ? (
            <Badge variant="outline" className="border-status-review/50 bg-status-review/10">
              Final submit
            </Badge>
          ) : null}
          {change.proposedBy === "model" ? (
            <Badge variant="outline">
              <Sparkles aria-hidden /> Chosen by the model
            </Badge>
          ) : null}
        </div>
        <p className="text-sm text-pretty">{change.intent[0]?.toUpperCase() + change.intent.slice(1)}</p>
      </div>
      <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-0.5">
          <dt className="text-xs text-muted-foreground">Why it missed</dt>
          <dd className="text-pretty">{change.missKindLabel}</dd>
          <dd className="truncate font-mono text-xs text-muted-foreground" title={change.missDetail}>
            {change.missDetail}
          </dd>
        </div>
        <div className="flex min-w-0 flex-col gap-0.5">
          <dt className="text-xs text-muted-foreground">Proposed locator</dt>
          <dd className="font-mono text-xs break-all" data-testid="proposed-locator">
            {change.recipeText}
          </dd>
          <dd className="text-xs text-muted-foreground">
            {describeElement(change.before)} → <span className="font-medium text-foreground">{describeElement(change.after)}</span>
          </dd>
        </div>
      </dl>
      <div className="flex flex-wrap items-start gap-x-6 gap-y-3">
        <dl className="flex gap-5 text-sm">
          <Score label="Score" value={change.score} />
          <Score label="Margin" value={change.margin} />
          {change.model ? (
            <div className="flex flex-col gap-0.5">
              <dt className="text-xs text-muted-foreground">Model</dt>
              <dd className="font-medium">
                {change.model.model}
                {change.model.costUsd !== null ? <span className="text-muted-foreground"> · ${change.model.costUsd.toFixed(4)}</span> : null}
              </dd>
            </div>
          ) : null}
        </dl>
        {change.validation.length > 0 ? (
          <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label="Validation">
            {change.validation.map((v) => (
              <li key={v.check} className="inline-flex items-center gap-1" title={v.detail}>
                {v.ok ? <CircleCheck aria-hidden className="size-3.5 text-status-submitted" /> : <CircleX aria-hidden className="size-3.5 text-status-failed" />}
                <span className="sr-only">{v.ok ? "Passed:" : "Failed:"}</span>
                {v.check}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {reasons.length > 0 ? (
        <details className="group text-xs">
          <summary className="cursor-pointer text-muted-foreground select-none hover:text-foreground">Why this element (score by feature)</summary>
          <table className="mt-2 w-full table-fixed border-collapse text-left">
            <thead className="text-muted-foreground">
              <tr>
                <th className="w-32 py-1 font-medium">Feature</th>
                <th className="py-1 font-medium">Last good</th>
                <th className="py-1 font-medium">Now</th>
                <th className="w-16 py-1 text-right font-medium">Match</th>
              </tr>
            </thead>
            <tbody>
              {reasons.map((r) => (
                <tr key={r.feature} className="border-t">
                  <td className="py-1">{FEATURE_LABELS[r.feature] ?? r.feature}</td>
                  <td className="truncate py-1 font-mono" title={r.stored}>
                    {r.stored || "—"}
                  </td>
                  <td className="truncate py-1 font-mono" title={r.observed}>
                    {r.observed || "—"}
                  </td>
                  <td className="py-1 text-right tabular-nums">{formatPercent(r.similarity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </div>
  );
}
