"use client";

import { useMemo, useState } from "react";
import { SlidersHorizontal } from "lucide-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { RequiresRoleFieldset } from "@/components/auth/permission-gate";
import { RecipeFields, type RecipeOem } from "@/components/recipe/recipe-fields";
import { toFormValues } from "@/components/recipe/recipe-form-model";
import { useRecipeForm } from "@/components/recipe/use-recipe-form";
import { errorMessage } from "@/components/query/fetch-json";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/relative-time";
import { makeRecipeSchema } from "@/lib/batches/recipe";
import { saveRecipe, settingsKeys, type RecipeAnswer } from "./settings-api";

/** The saved recipe the nightly batch uses; each save is a new version with a note. */
export function RecipeSettingsForm({ answer, oems, kinds }: { answer: RecipeAnswer; oems: readonly RecipeOem[]; kinds: readonly string[] }) {
  const queryClient = useQueryClient();
  const schema = useMemo(() => makeRecipeSchema(answer.bounds), [answer.bounds]);
  const fallbackRetry = useMemo(() => answer.defaultRetry ?? { maxAttempts: 3, delaySeconds: answer.bounds.minDelaySeconds }, [answer.defaultRetry, answer.bounds.minDelaySeconds]);
  const defaults = useMemo(() => toFormValues(answer.recipe, oems.map((o) => o.id), fallbackRetry), [answer, oems, fallbackRetry]);
  const { form, formError, validate, showApiError } = useRecipeForm(defaults, schema);
  const [versionNote, setVersionNote] = useState("");

  const save = useMutation({
    mutationFn: saveRecipe,
    onSuccess: async (saved) => {
      setVersionNote("");
      toast.success(`Recipe saved as version ${saved.version}. Tonight's batch uses it.`);
      // The form remounts with the saved values (it is keyed by the version).
      await queryClient.invalidateQueries({ queryKey: settingsKeys.recipe });
    },
    onError: (error) => {
      if (!showApiError(error)) toast.error(errorMessage(error, "The recipe could not be saved."));
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    const recipe = validate(values);
    if (recipe) save.mutate({ recipe, note: versionNote.trim() });
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <SlidersHorizontal aria-hidden className="size-4 text-muted-foreground" />
          Recipe
          <span className="text-xs font-normal text-muted-foreground tabular-nums">{answer.version === null ? "defaults (never saved)" : `version ${answer.version}`}</span>
        </CardTitle>
        <CardDescription>
          What the nightly batch files and how.{" "}
          {answer.createdAt ? (
            <>
              Saved by {answer.author ?? "someone"} <RelativeTime date={new Date(answer.createdAt)} />
              {answer.note ? <> — “{answer.note}”</> : null}.
            </>
          ) : (
            "Run now starts from the same values and can change them for one batch."
          )}
        </CardDescription>
      </CardHeader>
      <form onSubmit={onSubmit} noValidate aria-label="Recipe">
        <RequiresRoleFieldset role="ops" legend="Recipe">
          <CardContent className="flex flex-col gap-6">
            <RecipeFields form={form} oems={oems} kinds={kinds} bounds={answer.bounds} idPrefix="recipe" />
            {formError ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {formError}
              </p>
            ) : null}
          </CardContent>
          <CardFooter className="mt-6 flex flex-wrap items-end justify-between gap-3 border-t pt-4">
            <Field label="What changed" htmlFor="recipe-version-note" hint="Kept with the version, e.g. “Borealis limit 1 during their audit”." className="min-w-64 flex-1">
              {(aria) => <Input {...aria} value={versionNote} onChange={(event) => setVersionNote(event.target.value)} maxLength={200} />}
            </Field>
            <Button type="submit" size="sm" disabled={save.isPending || !form.formState.isDirty}>
              {save.isPending ? "Saving…" : "Save as new version"}
            </Button>
          </CardFooter>
        </RequiresRoleFieldset>
      </form>
    </Card>
  );
}
