import { cn } from "@/components/ui/cn";
import { formatCountOf } from "@/lib/format/number";
import { diffLines, foldUnchanged, type DiffSide } from "@/lib/heals/line-diff";

function Cell({ side, which }: { side: DiffSide; which: "before" | "after" }) {
  if (!side) return <div aria-hidden className="bg-muted/30" />;
  const changed = side.kind !== "same";
  const marker = side.kind === "removed" ? "−" : side.kind === "added" ? "+" : " ";
  return (
    <div
      className={cn(
        "flex min-w-0 gap-2 px-2 py-px",
        side.kind === "removed" && "bg-status-failed/10",
        side.kind === "added" && "bg-status-submitted/10",
      )}
      data-diff={side.kind}
    >
      <span aria-hidden className="w-7 shrink-0 text-right text-muted-foreground tabular-nums select-none">
        {side.line}
      </span>
      <span aria-hidden className={cn("w-3 shrink-0 select-none", side.kind === "removed" && "text-status-failed", side.kind === "added" && "text-status-submitted")}>
        {marker}
      </span>
      <span className={cn("min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]", changed && "font-medium")}>
        {changed ? <span className="sr-only">{side.kind === "removed" ? (which === "before" ? "Removed: " : "") : "Added: "}</span> : null}
        {side.text}
      </span>
    </div>
  );
}

/**
 * Two accessibility snapshots side by side, last good on the left and now on the right: removed
 * lines tinted red with −, added lines green with + (the sign and the words for screen readers,
 * never the colour alone); long unchanged stretches folded.
 */
export function AriaDiff({ before, after, beforeLabel = "Last good", afterLabel = "Now", context = 3, className }: { before: string | null; after: string | null; beforeLabel?: string; afterLabel?: string; context?: number; className?: string }) {
  const diff = diffLines(before, after);
  const rows = foldUnchanged(diff.rows, context);
  return (
    <figure className={cn("flex min-w-0 flex-col gap-1.5", className)} data-slot="aria-diff">
      <figcaption className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        <span>Accessibility snapshot</span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="font-mono text-status-failed">−</span>
          {formatCountOf(diff.removed, "line")} removed
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="font-mono text-status-submitted">+</span>
          {formatCountOf(diff.added, "line")} added
        </span>
      </figcaption>
      <div className="overflow-hidden rounded-md border font-mono text-xs leading-5">
        <div className="grid grid-cols-2 border-b bg-muted/50 text-[11px] font-medium text-muted-foreground">
          <div className="px-2 py-1">{beforeLabel}</div>
          <div className="border-l px-2 py-1">{afterLabel}</div>
        </div>
        <div className="max-h-80 overflow-auto">
          {before === null ? <p className="border-b px-2 py-1 font-sans text-muted-foreground">No last good snapshot was recorded for this step.</p> : null}
          {rows.map((row, k) =>
            "hidden" in row ? (
              <div key={k} className="border-y border-dashed bg-muted/30 px-2 py-0.5 text-center font-sans text-[11px] text-muted-foreground">
                {formatCountOf(row.hidden, "unchanged line")}
              </div>
            ) : (
              <div key={k} className="grid grid-cols-2 [&>*+*]:border-l">
                <Cell side={row.before} which="before" />
                <Cell side={row.after} which="after" />
              </div>
            ),
          )}
        </div>
      </div>
    </figure>
  );
}
