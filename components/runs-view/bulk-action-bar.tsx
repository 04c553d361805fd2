"use client";

import * as React from "react";
import { CircleSlash, RotateCcw, X } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRole } from "@/components/auth/permission-gate";
import { errorMessage, postJson } from "@/components/query/fetch-json";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { OPEN_RUN_STATUSES, TERMINAL_FAIL_STATUSES, isOneOf } from "@/lib/domain/vocabulary";
import { formatCount, formatCountOf } from "@/lib/format/number";
import { bulkActionName, type BulkAction } from "@/lib/runs/bulk-action-name";
import type { RunListFilter } from "@/lib/runs/queries/run-list-params";
import type { RunRowJson } from "./runs-table";
import { runListKeys } from "./run-list-url";

/** What is selected: some runs by id (their rows as last seen), or every run matching the filter. */
export type RunSelection = { kind: "ids"; rows: RunRowJson[] } | { kind: "filter"; filter: RunListFilter; count: number; oemLabel: string | null };

interface BulkActionAnswer {
  id: string;
  name: string;
  results: Record<string, number>;
  runCount: number;
}

const WHAT_HAPPENS: Record<BulkAction, string> = {
  retry: "Each run that ended needing review, parked or failed gets a fresh run, queued at once ahead of the nightly queue. Runs that are still open, already submitted, or a second run of the same case are skipped and counted.",
  cancel: "Queued runs and runs waiting for a retry are cancelled, their jobs removed and their cases put back to pending for the next batch. Runs under way finish; anything else is skipped and counted.",
};

function selectionCount(selection: RunSelection): number {
  return selection.kind === "ids" ? selection.rows.length : selection.count;
}

/** How many of the selected rows the action would act on, when the rows are known. */
function qualifying(selection: RunSelection, action: BulkAction): number | null {
  if (selection.kind === "filter") return null;
  return selection.rows.filter((row) => (action === "retry" ? isOneOf(TERMINAL_FAIL_STATUSES, row.status) : isOneOf(OPEN_RUN_STATUSES, row.status) && row.status !== "running")).length;
}

function defaultName(selection: RunSelection, action: BulkAction): string {
  if (selection.kind === "ids") {
    return bulkActionName({ action, count: selection.rows.length, oemLabels: selection.rows.map((r) => r.oem.label), errorClasses: selection.rows.map((r) => r.errorClass), statuses: selection.rows.map((r) => r.status) });
  }
  const { filter } = selection;
  return bulkActionName({ action, count: selection.count, oemLabels: selection.oemLabel ? [selection.oemLabel] : [], errorClasses: filter.errorClass ? [filter.errorClass] : [], statuses: filter.status.length === 1 ? filter.status : [] });
}

function resultSentence(answer: BulkActionAnswer): string {
  const parts = Object.entries(answer.results)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${formatCount(n)} ${outcome}`);
  return `${answer.name}: ${parts.join(", ")}.`;
}

/** The bar over the table while runs are selected: Retry, Cancel (each confirmed), and clear. */
export function BulkActionBar({ selection, onClear, onDone }: { selection: RunSelection; onClear: () => void; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [action, setAction] = React.useState<BulkAction | null>(null);
  const [name, setName] = React.useState("");
  const count = selectionCount(selection);

  const run = useMutation({
    mutationFn: (input: { action: BulkAction; name: string }) =>
      postJson<BulkActionAnswer>(
        "/api/runs/bulk",
        {
          action: input.action,
          ...(input.name.trim() ? { name: input.name.trim() } : {}),
          selection: selection.kind === "ids" ? { runIds: selection.rows.map((row) => row.id) } : { filter: selection.filter },
        },
        { fallback: "The runs could not be changed." },
      ),
    onSuccess: async (answer) => {
      toast.success(resultSentence(answer));
      setName("");
      onDone();
      await queryClient.invalidateQueries({ queryKey: runListKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error, "The runs could not be changed.")),
  });

  const open = action !== null;
  const confirm = () => {
    if (!action) return;
    run.mutate({ action, name });
    setAction(null);
  };
  const known = action ? qualifying(selection, action) : null;

  return (
    <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-center gap-2 rounded-lg border bg-muted/40 px-3 py-2 text-sm">
      <span className="font-medium tabular-nums">{selection.kind === "filter" ? `All ${formatCountOf(count, "matching run")} selected` : `${formatCountOf(count, "run")} selected`}</span>
      <span className="ml-auto flex flex-wrap items-center gap-2">
        <RequiresRole role="ops">
          <Button size="sm" variant="outline" disabled={run.isPending} onClick={() => setAction("retry")}>
            <RotateCcw aria-hidden /> Retry
          </Button>
        </RequiresRole>
        <RequiresRole role="ops">
          <Button size="sm" variant="outline" disabled={run.isPending} onClick={() => setAction("cancel")}>
            <CircleSlash aria-hidden /> Cancel runs
          </Button>
        </RequiresRole>
        <Button size="sm" variant="ghost" className="text-muted-foreground" onClick={onClear}>
          Clear selection <X aria-hidden />
        </Button>
      </span>

      <AlertDialog open={open} onOpenChange={(next) => (next ? undefined : setAction(null))}>
        {action ? (
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>
                {action === "retry" ? "Retry" : "Cancel"} {formatCountOf(count, "run")}?
              </AlertDialogTitle>
              <AlertDialogDescription>{WHAT_HAPPENS[action]}</AlertDialogDescription>
            </AlertDialogHeader>
            <p className="text-sm">
              {known === null ? (
                <>Every run matching the filter is checked on the server when you confirm.</>
              ) : known === count ? (
                <>{count === 1 ? "The selected run qualifies." : `All ${formatCountOf(count, "selected run")} qualify.`}</>
              ) : (
                <>
                  {formatCount(known)} of {formatCountOf(count, "selected run")} {known === 1 ? "qualifies" : "qualify"}; the others are skipped.
                </>
              )}
            </p>
            <div className="flex flex-col gap-2">
              <label htmlFor="bulk-action-name" className="text-sm font-medium">
                Name (kept with the record of this action)
              </label>
              <Input id="bulk-action-name" value={name} onChange={(event) => setName(event.target.value)} maxLength={120} placeholder={defaultName(selection, action)} />
            </div>
            <AlertDialogFooter>
              <AlertDialogCancel>Keep as is</AlertDialogCancel>
              {action === "retry" ? (
                // Not AlertDialogAction: its destructive look is for cancelling; the dialog is controlled, so closing it is ours.
                <Button onClick={confirm}>Retry {formatCountOf(count, "run")}</Button>
              ) : (
                <AlertDialogAction onClick={confirm}>Cancel {formatCountOf(count, "run")}</AlertDialogAction>
              )}
            </AlertDialogFooter>
          </AlertDialogContent>
        ) : null}
      </AlertDialog>
    </div>
  );
}
