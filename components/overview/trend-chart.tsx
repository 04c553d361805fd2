"use client";

import { BarChart3 } from "lucide-react";
import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from "recharts";
import { EmptyState } from "@/components/empty-state";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ChartContainer, ChartLegend, ChartLegendContent, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";
import { formatCount, formatPercent } from "@/lib/format/number";
import type { NightHistory } from "@/lib/overview/get-night-history";
import { formatNight, type NightFigures } from "@/lib/overview/night-figures";

// Colours are the run-status tokens of app/globals.css (light and dark); the theme has no chart
// token that means "submitted" or "failed", and chart-1…5 carry no meaning.
const chartConfig = {
  submitted: { label: "Submitted", color: "var(--status-submitted)" },
  terminalFails: { label: "Terminal fails", color: "var(--status-failed)" },
} satisfies ChartConfig;

interface Row {
  nightKey: string;
  submitted: number;
  terminalFails: number;
  metSla: boolean | null;
  hasBatch: boolean;
}

function slaWords(night: Pick<NightFigures, "metSla" | "batchId">): string {
  if (night.batchId === null) return "No batch";
  return night.metSla === true ? "Done by morning" : night.metSla === false ? "Missed the morning" : "Not judged yet";
}

/** Submitted vs terminal fails per night (stacked: the whole bar is what settled), in the chart idiom. */
export function TrendChart({ history }: { history: NightHistory }) {
  const rows: Row[] = history.nights.map((night) => ({ nightKey: night.nightKey, submitted: night.submitted, terminalFails: night.terminalFails, metSla: night.metSla, hasBatch: night.batchId !== null }));
  const withData = history.nights.filter((night) => night.submitted + night.terminalFails > 0);
  const submitted = withData.reduce((sum, night) => sum + night.submitted, 0);
  const fails = withData.reduce((sum, night) => sum + night.terminalFails, 0);
  const first = history.nights[0];
  const last = history.nights[history.nights.length - 1];
  const range = first && last ? `${formatNight(first.nightKey)} – ${formatNight(last.nightKey)}` : "";

  return (
    <Card className="gap-4" data-testid="trend-card">
      <CardHeader>
        <CardTitle>Submitted vs terminal fails</CardTitle>
        <CardDescription>
          Per night, the last {formatCount(history.nights.length)} nights ({range})
          {withData.length > 0 ? ` · ${formatCount(submitted)} submitted, ${formatCount(fails)} terminal fails (${formatPercent(fails / Math.max(1, submitted + fails))})` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {withData.length === 0 ? (
          <EmptyState
            size="compact"
            icon={BarChart3}
            title="No night has filed anything yet"
            description="Each nightly batch adds a bar: the cases it submitted and those that ended as a terminal fail."
          />
        ) : (
          <figure className="flex flex-col gap-2" aria-label={`Bar chart: submitted and terminal fails per night, ${range}`}>
            <ChartContainer config={chartConfig} className="aspect-auto h-60 w-full" initialDimension={{ width: 800, height: 240 }}>
              <BarChart data={rows} margin={{ top: 4, right: 4, left: 0, bottom: 0 }} barCategoryGap="18%">
                <CartesianGrid vertical={false} />
                <XAxis dataKey="nightKey" tickLine={false} axisLine={false} tickMargin={8} minTickGap={24} tickFormatter={(value: string) => formatNight(value, { short: true })} />
                <YAxis tickLine={false} axisLine={false} width={44} allowDecimals={false} tickFormatter={(value: number) => formatCount(value)} />
                <ChartTooltip
                  cursor={{ fillOpacity: 0.5 }}
                  content={
                    <ChartTooltipContent
                      labelFormatter={(_, payload) => {
                        const row = payload[0]?.payload as Row | undefined;
                        return row ? formatNight(row.nightKey) : "";
                      }}
                      footer={(payload) => {
                        const row = payload[0]?.payload as Row | undefined;
                        return row ? <div className="border-t pt-1.5 text-muted-foreground">{slaWords({ metSla: row.metSla, batchId: row.hasBatch ? "x" : null })}</div> : null;
                      }}
                    />
                  }
                />
                <ChartLegend content={<ChartLegendContent />} />
                <Bar dataKey="submitted" stackId="night" fill="var(--color-submitted)" radius={[0, 0, 2, 2]} />
                <Bar dataKey="terminalFails" stackId="night" fill="var(--color-terminalFails)" radius={[2, 2, 0, 0]} />
              </BarChart>
            </ChartContainer>
            <figcaption className="sr-only">
              <table>
                <caption>Submitted and terminal fails per night</caption>
                <thead>
                  <tr>
                    <th scope="col">Night</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">Terminal fails</th>
                    <th scope="col">Done by morning</th>
                  </tr>
                </thead>
                <tbody>
                  {history.nights.map((night) => (
                    <tr key={night.nightKey}>
                      <th scope="row">{formatNight(night.nightKey)}</th>
                      <td>{formatCount(night.submitted)}</td>
                      <td>{formatCount(night.terminalFails)}</td>
                      <td>{slaWords(night)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </figcaption>
          </figure>
        )}
      </CardContent>
    </Card>
  );
}
