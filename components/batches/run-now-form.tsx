"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Rocket } from "lucide-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRoleFieldset } from "@/components/auth/permission-gate";
import { OemBadge } from "@/components/oem/oem-badge";
import { RecipeFields, type RecipeOem } from "@/components/recipe/recipe-fields";
import { toFormValues } from "@/components/recipe/recipe-form-model";
import { useRecipeForm } from "@/components/recipe/use-recipe-form";
import { errorMessage, postJson } from "@/components/query/fetch-json";
import { fetchRecipe, settingsKeys, type RecipeAnswer } from "@/components/settings/settings-api";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { makeBatchRequestSchema } from "@/lib/batches/recipe";
import { formatCountOf } from "@/lib/format/number";
import { batchKeys } from "./batches-api";
import { SteerBatchPanel, type SteerProposalJson } from "./steer-batch-panel";

type Scope = "all" | "oem" | "cases";

/** What POST /api/batches answers: the planned batch, or no batch when nothing is eligible. */
type RunNowAnswer = { batchId: string; caseCount: number } | { batchId: null; caseCount: 0; message: string };

export interface RunNowCase {
  id: string;
  reference: string;
  oemId: string;
}

/**
 * Run now: the saved recipe, prefilled, changed for this one batch only (the recipe stays as saved).
 * `steering`: a language model is configured, so an instruction in words can propose the changes.
 */
export function RunNowForm({ oems, kinds, forCase, steering = false }: { oems: readonly RecipeOem[]; kinds: readonly string[]; forCase: RunNowCase | null; steering?: boolean }) {
  const recipe = useQuery({ queryKey: settingsKeys.recipe, queryFn: fetchRecipe });
  if (!recipe.data) {
    return recipe.error ? <p role="alert" className="text-sm text-destructive">{recipe.error.message}</p> : <Skeleton className="h-[40rem] w-full rounded-xl" />;
  }
  return <RunNowFormBody answer={recipe.data} oems={oems} kinds={kinds} forCase={forCase} steering={steering} />;
}

function RunNowFormBody({ answer, oems, kinds, forCase, steering }: { answer: RecipeAnswer; oems: readonly RecipeOem[]; kinds: readonly string[]; forCase: RunNowCase | null; steering: boolean }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const schema = useMemo(() => makeBatchRequestSchema(answer.bounds), [answer.bounds]);
  const fallbackRetry = useMemo(() => answer.defaultRetry ?? { maxAttempts: 3, delaySeconds: answer.bounds.minDelaySeconds }, [answer.defaultRetry, answer.bounds.minDelaySeconds]);
  const defaults = useMemo(() => toFormValues(answer.recipe, oems.map((o) => o.id), fallbackRetry), [answer.recipe, oems, fallbackRetry]);
  const { form, formError, validate, showApiError } = useRecipeForm(defaults, schema);
  const [scope, setScope] = useState<Scope>(forCase ? "cases" : "all");
  const [oneOem, setOneOem] = useState<string>(forCase?.oemId ?? oems[0]?.id ?? "");
  // The instruction whose proposal filled the form: sent with the batch and stored on it.
  const [steeredBy, setSteeredBy] = useState<string | null>(null);

  /** Puts the fields a proposal changes into the form (the others keep what the person set). */
  function applyProposal(proposal: SteerProposalJson) {
    const proposed = toFormValues(proposal.parameters, oems.map((o) => o.id), fallbackRetry);
    const options = { shouldDirty: true, shouldValidate: false } as const;
    form.clearErrors();
    for (const row of proposal.diff) {
      if (!row.changed) continue;
      if (row.kind === "portal_sessions") form.setValue(`portalConcurrency.${row.oemId}`, proposed.portalConcurrency[row.oemId] ?? "", options);
      else if (row.field === "oemIds" || row.field === "caseKinds") form.setValue(row.field, proposed[row.field], options);
      else if (row.field === "order") form.setValue("order", proposed.order, options);
      else if (row.field === "concurrency" || row.field === "defaultPortalConcurrency") form.setValue(row.field, proposed[row.field], options);
      else if (row.field === "dryRun") form.setValue("dryRun", proposed.dryRun, options);
    }
    // The proposal is about the whole batch against the recipe's filters.
    setScope("all");
    setSteeredBy(proposal.instruction);
  }

  const start = useMutation({
    mutationFn: (body: unknown) => postJson<RunNowAnswer>("/api/batches", body, { fallback: "Could not start a batch." }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: batchKeys.all });
      if (result.batchId === null) {
        toast.info(result.message);
        return;
      }
      toast.success(`Batch started: ${formatCountOf(result.caseCount, "case")} queued.`);
      router.push(`/batches/${result.batchId}`);
    },
    onError: (error) => {
      if (!showApiError(error)) toast.error(errorMessage(error, "Could not start a batch."));
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    const extra: Record<string, unknown> = {};
    if (scope === "oem") extra.oemIds = [oneOem];
    if (scope === "cases" && forCase) {
      extra.caseIds = [forCase.id];
      extra.oemIds = [];
      extra.caseKinds = [];
    }
    const body = validate(values, extra);
    if (body) start.mutate(steeredBy && scope !== "cases" ? { ...body, instruction: steeredBy } : body);
  });

  const scopes: Array<{ value: Scope; label: string; description: string; hidden?: boolean }> = [
    { value: "all", label: "Every eligible case", description: "Pending cases that match the filters below." },
    { value: "oem", label: "One OEM", description: "Pending cases of one portal only." },
    { value: "cases", label: "This case", description: forCase ? `Only ${forCase.reference}.` : "", hidden: !forCase },
  ];

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Run now">
      <RequiresRoleFieldset role="ops" legend="Run now" className="flex flex-col gap-6" noteClassName="m-0">
        <Card>
          <CardHeader>
            <CardTitle>What to run</CardTitle>
            <CardDescription>Starts a batch now, next to the nightly one. Urgent cases from the CRM still jump the queue.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <div role="radiogroup" aria-label="Scope" className="grid gap-2 sm:grid-cols-3">
              {scopes
                .filter((s) => !s.hidden)
                .map((s) => (
                  <label
                    key={s.value}
                    className={cn(
                      "flex cursor-pointer flex-col gap-1 rounded-md border p-3 text-sm transition-colors hover:bg-accent/60 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                      scope === s.value && "border-primary/50 bg-accent",
                    )}
                  >
                    <span className="flex items-center gap-2 font-medium">
                      <input type="radio" className="accent-primary" name="scope" value={s.value} checked={scope === s.value} onChange={() => setScope(s.value)} />
                      {s.label}
                    </span>
                    <span className="text-xs text-muted-foreground">{s.description}</span>
                  </label>
                ))}
            </div>
            {scope === "oem" ? (
              <div className="flex max-w-sm flex-col gap-2">
                <label htmlFor="run-now-oem" className="text-sm font-medium">
                  OEM
                </label>
                <NativeSelect id="run-now-oem" value={oneOem} onChange={(event) => setOneOem(event.target.value)}>
                  {oems.map((oem) => (
                    <option key={oem.id} value={oem.id}>
                      {oem.label}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            ) : null}
            {scope === "cases" && forCase ? (
              <p className="flex items-center gap-2 text-sm">
                {(() => {
                  const oem = oems.find((o) => o.id === forCase.oemId);
                  return oem ? <OemBadge label={oem.label} color={oem.color} monogram={oem.monogram} size="xs" /> : null;
                })()}
                <Link href={`/cases/${forCase.id}`} className="font-medium underline-offset-4 hover:underline">
                  {forCase.reference}
                </Link>
                <span className="text-muted-foreground">— filed again even if it ended in a failure.</span>
              </p>
            ) : null}
          </CardContent>
        </Card>

        {steering && scope !== "cases" ? <SteerBatchPanel oems={oems} applied={steeredBy} onApply={applyProposal} /> : null}

        <Card>
          <CardHeader>
            <CardTitle>Parameters for this batch</CardTitle>
            <CardDescription>
              Prefilled from the saved recipe{answer.version === null ? " (defaults)" : ` (version ${answer.version})`}. Changes here apply to this batch only;{" "}
              <Link href="/settings" className="underline underline-offset-4">
                change the recipe
              </Link>{" "}
              to keep them.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <RecipeFields form={form} oems={oems} kinds={kinds} bounds={answer.bounds} idPrefix="run-now" showFilters={scope === "all"} />
          </CardContent>
          <CardFooter className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t pt-4">
            {formError ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {formError}
              </p>
            ) : (
              <p className="text-xs text-muted-foreground">The batch records these parameters and the recipe version it started from.</p>
            )}
            <Button type="submit" disabled={start.isPending}>
              <Rocket aria-hidden />
              {start.isPending ? "Starting…" : "Start batch"}
            </Button>
          </CardFooter>
        </Card>
      </RequiresRoleFieldset>
    </form>
  );
}
