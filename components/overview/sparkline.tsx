import { cn } from "@/components/ui/cn";
import { formatPercent } from "@/lib/format/number";
import { formatNight } from "@/lib/overview/night-figures";
import { segmentPath, sparkline } from "@/lib/overview/sparkline";

const WIDTH = 160;
const HEIGHT = 36;

/**
 * A success-rate sparkline over the nights (oldest left), gaps where a night had no figure, the
 * last night dotted. Its summary is its accessible name; the colour is a theme token.
 */
export function Sparkline({ values, nightKeys, label, className }: { values: ReadonlyArray<number | null>; nightKeys: readonly string[]; label: string; className?: string }) {
  const line = sparkline(values, { width: WIDTH, height: HEIGHT, padding: 3 });
  const summary =
    line.last === null
      ? `${label}: no night with settled cases yet`
      : `${label}: ${formatPercent(line.last.value)} on ${formatNight(nightKeys[line.last.index] ?? "")}` +
        (line.lowest && line.lowest.index !== line.last.index ? `, lowest ${formatPercent(line.lowest.value)} on ${formatNight(nightKeys[line.lowest.index] ?? "")}` : "");
  const [lo] = line.domain;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none" className={cn("h-9 w-full overflow-visible text-status-submitted", className)} data-slot="sparkline">
      <title>{summary}</title>
      {/* The floor of the scale, so a dip reads against something. */}
      <line x1={0} x2={WIDTH} y1={HEIGHT - 3} y2={HEIGHT - 3} className="stroke-border" strokeWidth={1} strokeDasharray="2 3" vectorEffect="non-scaling-stroke">
        <title>{`Scale from ${formatPercent(lo)} to 100%`}</title>
      </line>
      {line.segments.map((segment) =>
        segment.length === 1 ? (
          <circle key={segment[0]!.index} cx={segment[0]!.x} cy={segment[0]!.y} r={1.75} className="fill-current" />
        ) : (
          <path key={segment[0]!.index} d={segmentPath(segment)} fill="none" className="stroke-current" strokeWidth={1.75} strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />
        ),
      )}
      {line.lowest && line.last && line.lowest.index !== line.last.index && line.lowest.value < 0.98 ? (
        <circle cx={line.lowest.x} cy={line.lowest.y} r={2.25} className="fill-status-failed" />
      ) : null}
      {line.last ? <circle cx={line.last.x} cy={line.last.y} r={2.75} className="fill-current stroke-card" strokeWidth={1.5} /> : null}
    </svg>
  );
}
