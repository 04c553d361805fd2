"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { ApiRequestError } from "@/components/query/fetch-json";
import type { z } from "zod";
import { fieldErrorsOf } from "@/lib/http/zod-issues";
import { applyFieldErrors } from "./apply-field-errors";
import { formFieldFor, fromFormValues, type RecipeFormValues } from "./recipe-form-model";
import { RECIPE_FORM_FIELDS } from "./recipe-fields";

/**
 * A react-hook-form for the recipe, validated by the shared zod schema before it is sent and
 * showing the API's field errors beside the same fields when the server disagrees.
 */
export function useRecipeForm<S extends z.ZodType>(defaultValues: RecipeFormValues, schema: S) {
  const form = useForm<RecipeFormValues>({ defaultValues });
  const [formError, setFormError] = useState<string | null>(null);

  /** The validated recipe, or null after putting the errors on the fields. */
  function validate(values: RecipeFormValues, extra: Record<string, unknown> = {}): z.output<S> | null {
    setFormError(null);
    const parsed = schema.safeParse({ ...fromFormValues(values), ...extra });
    if (parsed.success) return parsed.data;
    showErrors(fieldErrorsOf(parsed.error));
    return null;
  }

  function showErrors(fields: Record<string, string[]>) {
    const rest = applyFieldErrors(form.setError, fields, formFieldFor, RECIPE_FORM_FIELDS);
    setFormError(rest.length > 0 ? rest.join(" ") : null);
  }

  /** Shows an API error: its field errors on the fields, otherwise returns false (the caller toasts). */
  function showApiError(error: unknown): boolean {
    if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) {
      showErrors(error.fields);
      return true;
    }
    return false;
  }

  return { form, formError, setFormError, validate, showApiError };
}
