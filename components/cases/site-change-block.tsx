import Link from "next/link";
import { History } from "lucide-react";
import { AriaDiff } from "@/components/heals/aria-diff";
import { describeElement } from "@/components/heals/heal-change";
import type { StoredFailure } from "@/lib/domain/types";
import { MISS_KIND_LABELS } from "@/lib/healing/types";
import { stepLabel } from "./labels";

type SiteChange = NonNullable<StoredFailure["siteChange"]>;

/** A site_changed failure's diff against the last good run: which element missed and why, the page then and now, the candidates the scorer saw. */
export function SiteChangeBlock({ change }: { change: SiteChange }) {
  const candidates = change.ranking.slice(0, 5);
  return (
    <section className="flex flex-col gap-3 rounded-lg border px-3 py-3" aria-labelledby="site-change-heading" data-testid="site-change">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex min-w-0 flex-col gap-1">
          <h3 id="site-change-heading" className="text-sm font-semibold">
            What changed on the portal
          </h3>
          <p className="text-sm text-pretty">
            <span className="font-medium">{change.intent[0]?.toUpperCase() + change.intent.slice(1)}</span> <span className="text-muted-foreground">at {stepLabel(change.step).toLowerCase()}:</span> {MISS_KIND_LABELS[change.missKind]}
          </p>
          <p className="flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
            <code className="rounded bg-muted px-1 py-0.5 font-mono">{change.targetId}</code>
            <span className="text-pretty">{change.detail}</span>
          </p>
        </div>
        {change.lastGoodRunId ? (
          <Link
            href={`/runs/${change.lastGoodRunId}`}
            className="inline-flex shrink-0 items-center gap-1 rounded-sm text-xs font-medium underline-offset-4 hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
          >
            <History aria-hidden className="size-3.5" /> Last good run
          </Link>
        ) : null}
      </div>
      {change.ariaBefore !== null || change.ariaAfter !== null ? <AriaDiff before={change.ariaBefore} after={change.ariaAfter} beforeLabel="Last good run" afterLabel="This run" context={2} /> : null}
      {candidates.length > 0 ? (
        <div className="flex flex-col gap-1">
          <p className="text-xs font-medium text-muted-foreground">Closest elements on the page (none won clearly)</p>
          <ol className="flex flex-col gap-0.5 text-sm" aria-label="Top candidates">
            {candidates.map((c, k) => (
              <li key={k} className="flex flex-wrap items-baseline gap-x-2">
                <span className="w-10 shrink-0 text-right font-mono text-xs tabular-nums">{c.score.toFixed(2)}</span>
                <span>{describeElement({ role: c.role, name: c.name, tag: "element" })}</span>
                {c.excluded ? <span className="text-xs text-muted-foreground">excluded: {c.excluded}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}
