"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { Check, CircleAlert, Sparkles, X } from "lucide-react";
import { OemBadge } from "@/components/oem/oem-badge";
import { errorMessage, postJson, type Jsonified } from "@/components/query/fetch-json";
import { ORDER_META, type RecipeOem } from "@/components/recipe/recipe-fields";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { formatDuration } from "@/lib/format/duration";
import { humanize } from "@/lib/format/text";
import type { SteerProposal } from "@/lib/steering/propose-batch";
import { MAX_INSTRUCTION_LENGTH } from "@/lib/steering/instruction";
import type { ParameterDiffRow } from "@/lib/steering/parameter-diff";

/** What POST /api/batches/steer answers when the model's reading passed every check. */
export type SteerProposalJson = Jsonified<Extract<SteerProposal, { kind: "proposed" }>>;

const FIELD_LABELS: Record<Exclude<ParameterDiffRow["kind"], "portal_sessions">, (row: ParameterDiffRow) => string> = {
  oems: () => "OEMs",
  kinds: () => "Case kinds",
  order: () => "Order",
  sessions: (row) => (row.field === "concurrency" ? "Sessions in all" : "Per portal (default)"),
  dry_run: () => "Dry run",
  retry: () => "Retries",
  note: () => "Ops note",
};

function formatValue(row: ParameterDiffRow, side: "recipe" | "proposed", oems: readonly RecipeOem[]): string {
  switch (row.kind) {
    case "oems": {
      const ids = row[side];
      return ids.length === 0 ? "Every OEM" : ids.map((id) => oems.find((o) => o.id === id)?.label ?? id).join(", ");
    }
    case "kinds": {
      const kinds = row[side];
      return kinds.length === 0 ? "Every kind" : kinds.map(humanize).join(", ");
    }
    case "order":
      return ORDER_META[row[side]].label;
    case "sessions":
    case "portal_sessions":
      return String(row[side]);
    case "dry_run":
      return row[side] ? "Yes: nothing filed" : "No";
    case "retry": {
      const retry = row[side];
      return retry ? `${retry.maxAttempts} attempts, ${formatDuration(retry.delaySeconds * 1000)} apart` : "Deployment policy";
    }
    case "note":
      return row[side] || "None";
    default: {
      const never: never = row;
      return String(never);
    }
  }
}

function FieldLabel({ row, oems }: { row: ParameterDiffRow; oems: readonly RecipeOem[] }) {
  if (row.kind !== "portal_sessions") return <>{FIELD_LABELS[row.kind](row)}</>;
  const oem = oems.find((o) => o.id === row.oemId);
  return (
    <span className="flex items-center gap-1.5">
      {oem ? <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" showLabel /> : row.oemId}
      <span className="text-muted-foreground">sessions</span>
    </span>
  );
}

/** The proposal against the recipe: changed rows first in the form's order, the rest on request. */
function ProposalDiff({ diff, oems }: { diff: ParameterDiffRow[]; oems: readonly RecipeOem[] }) {
  const [showAll, setShowAll] = useState(false);
  const changed = diff.filter((row) => row.changed);
  const rows = showAll ? diff : changed;
  return (
    <div className="flex flex-col gap-2">
      {changed.length === 0 ? <p className="text-sm text-muted-foreground">The instruction means the recipe as it is: nothing to change.</p> : null}
      {rows.length > 0 ? (
        <div className="rounded-md border">
          <Table aria-label="Proposed parameters against the recipe">
            <TableHeader>
              <TableRow>
                <TableHead className="w-[30%] px-3">Parameter</TableHead>
                <TableHead className="w-[35%] px-3">Recipe</TableHead>
                <TableHead className="w-[35%] px-3">Proposed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.field} data-changed={row.changed || undefined} className={cn(row.changed && "bg-brand/5 hover:bg-brand/10")}>
                  <TableCell className="px-3 py-2 font-medium">
                    <FieldLabel row={row} oems={oems} />
                  </TableCell>
                  <TableCell className={cn("px-3 py-2 text-muted-foreground", row.changed && "line-through decoration-muted-foreground/60")}>{formatValue(row, "recipe", oems)}</TableCell>
                  <TableCell className={cn("px-3 py-2", row.changed ? "font-semibold" : "text-muted-foreground")}>
                    <span className="flex items-center gap-1.5">
                      {row.changed ? <span className="sr-only">Changed to </span> : null}
                      {formatValue(row, "proposed", oems)}
                      {row.changed ? <Check aria-hidden className="size-3.5 text-brand" /> : null}
                    </span>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {diff.length > changed.length ? (
        <button type="button" className="self-start text-xs text-muted-foreground underline-offset-4 hover:text-foreground hover:underline" onClick={() => setShowAll((v) => !v)}>
          {showAll ? "Show only the changes" : `Also show the ${diff.length - changed.length} unchanged parameters`}
        </button>
      ) : null}
    </div>
  );
}

/**
 * Run now's instruction in words: the configured model proposes batch parameters, shown as a
 * diff against the saved recipe; "Use these parameters" fills the form (the person still starts
 * the batch), "Discard" drops the proposal. Rendered only when a model is configured.
 */
export function SteerBatchPanel({ oems, applied, onApply }: { oems: readonly RecipeOem[]; applied: string | null; onApply: (proposal: SteerProposalJson) => void }) {
  const [instruction, setInstruction] = useState("");
  const [proposal, setProposal] = useState<SteerProposalJson | null>(null);
  const propose = useMutation({
    mutationFn: (text: string) => postJson<SteerProposalJson>("/api/batches/steer", { instruction: text }, { fallback: "Could not read the instruction." }),
    onSuccess: (result) => setProposal(result),
    onMutate: () => setProposal(null),
  });
  const trimmed = instruction.trim();
  const tooLong = instruction.length > MAX_INSTRUCTION_LENGTH;

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Sparkles aria-hidden className="size-4 text-brand" />
          Steer in words
        </CardTitle>
        <CardDescription>Say what tonight&apos;s batch should do; the model proposes parameters against the saved recipe for you to check. Nothing starts until you press Start batch.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-col gap-2">
          <label htmlFor="run-now-instruction" className="text-sm font-medium">
            Instruction (optional)
          </label>
          <Textarea
            id="run-now-instruction"
            rows={2}
            value={instruction}
            onChange={(event) => setInstruction(event.target.value)}
            placeholder="Only Corvid and Arden, redaction-sensitive first, at most one session on Corvid"
            aria-describedby="run-now-instruction-hint"
            aria-invalid={tooLong || undefined}
          />
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p id="run-now-instruction-hint" className={cn("text-xs", tooLong ? "font-medium text-destructive" : "text-muted-foreground")}>
              {tooLong ? `At most ${MAX_INSTRUCTION_LENGTH} characters (${instruction.length} now).` : `Which OEMs and kinds, what goes first, sessions per portal, dry run. Up to ${MAX_INSTRUCTION_LENGTH} characters.`}
            </p>
            <Button type="button" variant="outline" size="sm" disabled={trimmed === "" || tooLong || propose.isPending} onClick={() => propose.mutate(trimmed)}>
              <Sparkles aria-hidden />
              {propose.isPending ? "Reading…" : "Propose"}
            </Button>
          </div>
        </div>

        {propose.error ? (
          <div role="alert" className="flex items-start gap-2 rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm">
            <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-destructive" />
            <p className="text-pretty">{errorMessage(propose.error, "Could not read the instruction.")}</p>
          </div>
        ) : null}

        {proposal ? (
          <section aria-label="Proposal" className="flex flex-col gap-3 rounded-lg border bg-muted/30 p-4">
            <div className="flex flex-col gap-1">
              <p className="text-xs font-medium text-muted-foreground">The model read it as</p>
              <p className="text-sm text-pretty">“{proposal.reading || proposal.instruction}”</p>
            </div>
            <ProposalDiff diff={proposal.diff} oems={oems} />
            {proposal.notExpressible.length > 0 ? (
              <div className="flex items-start gap-2 rounded-md border border-status-retry/40 bg-status-retry/5 px-3 py-2 text-sm">
                <CircleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-status-retry" />
                <div className="flex flex-col gap-0.5">
                  <p className="font-medium">Not a batch parameter, so not in the proposal</p>
                  <ul className="list-disc pl-4 text-muted-foreground">
                    {proposal.notExpressible.map((part) => (
                      <li key={part}>{part}</li>
                    ))}
                  </ul>
                </div>
              </div>
            ) : null}
            <div className="flex flex-wrap items-center justify-between gap-3">
              <p className="text-xs text-muted-foreground">
                {proposal.model.model} · {formatDuration(proposal.model.latencyMs)}
                {proposal.model.costUsd !== null ? ` · $${proposal.model.costUsd.toFixed(4)}` : ""}
              </p>
              <div className="flex gap-2">
                <Button type="button" variant="ghost" size="sm" onClick={() => setProposal(null)}>
                  <X aria-hidden />
                  Discard
                </Button>
                <Button
                  type="button"
                  size="sm"
                  onClick={() => {
                    onApply(proposal);
                    setProposal(null);
                  }}
                >
                  <Check aria-hidden />
                  Use these parameters
                </Button>
              </div>
            </div>
          </section>
        ) : null}

        {applied && !proposal ? (
          <p className="flex items-start gap-2 text-sm text-muted-foreground" data-testid="applied-instruction">
            <Check aria-hidden className="mt-0.5 size-4 shrink-0 text-status-submitted" />
            <span className="text-pretty">
              The form below holds the parameters for “{applied}”. The instruction is recorded on the batch when you start it.
            </span>
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
