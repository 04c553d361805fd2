/**
 * The recipe form's values (strings, as inputs hold them) and the way to and from a recipe. The
 * shared zod schema (lib/batches/recipe.ts) validates what the form builds, and its issue paths
 * ("retry.maxAttempts") are the API's field-error keys too; `formFieldFor` maps both onto the
 * form's own field names, so an error shows beside the field it is about.
 */
import type { BatchOrder } from "@/lib/domain/vocabulary";
import type { Recipe } from "@/lib/batches/recipe";

export interface RecipeFormValues {
  oemIds: string[];
  caseKinds: string[];
  order: BatchOrder;
  concurrency: string;
  defaultPortalConcurrency: string;
  /** By OEM id; "" = the default limit. */
  portalConcurrency: Record<string, string>;
  dryRun: boolean;
  retryOverride: boolean;
  retryMaxAttempts: string;
  retryDelaySeconds: string;
  opsNote: string;
}

export function toFormValues(recipe: Recipe, oemIds: readonly string[], fallbackRetry: { maxAttempts: number; delaySeconds: number }): RecipeFormValues {
  return {
    oemIds: [...recipe.oemIds],
    caseKinds: [...recipe.caseKinds],
    order: recipe.order,
    concurrency: String(recipe.concurrency),
    defaultPortalConcurrency: String(recipe.defaultPortalConcurrency),
    portalConcurrency: Object.fromEntries(oemIds.map((id) => [id, recipe.portalConcurrency[id] === undefined ? "" : String(recipe.portalConcurrency[id])])),
    dryRun: recipe.dryRun,
    retryOverride: recipe.retry !== null,
    retryMaxAttempts: String(recipe.retry?.maxAttempts ?? fallbackRetry.maxAttempts),
    retryDelaySeconds: String(recipe.retry?.delaySeconds ?? fallbackRetry.delaySeconds),
    opsNote: recipe.opsNote,
  };
}

/** A number typed into a field; "" stays "" so the schema can say what is wrong. */
function numberOf(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === "") return trimmed;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
}

/** What the form would save, before validation (the schema decides whether it is a recipe). */
export function fromFormValues(values: RecipeFormValues): Record<string, unknown> {
  const portalConcurrency: Record<string, number | string> = {};
  for (const [oemId, text] of Object.entries(values.portalConcurrency)) {
    if (text.trim() !== "") portalConcurrency[oemId] = numberOf(text);
  }
  return {
    oemIds: values.oemIds,
    caseKinds: values.caseKinds,
    order: values.order,
    concurrency: numberOf(values.concurrency),
    defaultPortalConcurrency: numberOf(values.defaultPortalConcurrency),
    portalConcurrency,
    dryRun: values.dryRun,
    retry: values.retryOverride ? { maxAttempts: numberOf(values.retryMaxAttempts), delaySeconds: numberOf(values.retryDelaySeconds) } : null,
    opsNote: values.opsNote,
  };
}

const RETRY_FIELDS: Record<string, keyof RecipeFormValues> = {
  "retry.maxAttempts": "retryMaxAttempts",
  "retry.delaySeconds": "retryDelaySeconds",
  retry: "retryMaxAttempts",
};

/** The form field a schema/API error path belongs to ("" for errors about the whole recipe). */
export function formFieldFor(rawPath: string): string {
  // PUT /api/settings/recipe nests the recipe under "recipe".
  const path = rawPath.startsWith("recipe.") ? rawPath.slice("recipe.".length) : rawPath;
  if (path in RETRY_FIELDS) return RETRY_FIELDS[path]!;
  if (path.startsWith("oemIds")) return "oemIds";
  if (path.startsWith("caseKinds")) return "caseKinds";
  return path;
}
