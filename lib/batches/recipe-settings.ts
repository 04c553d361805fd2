import { z } from "zod";
import type { Db } from "../db/client";
import { fieldErrorsOf, type FieldErrors } from "./field-errors";
import { unknownOemErrors } from "./known-oems";
import { makeRecipeSchema, MAX_OPS_NOTE_LENGTH, type RetryBounds } from "./recipe";
import { getSavedRecipe, listRecipeVersions, saveRecipe, type RecipeVersion, type SavedRecipe } from "./recipe-store";

/** What the Settings page shows: the saved recipe, its history, and the bounds the form must respect. */
export interface RecipeSettings extends SavedRecipe {
  versions: Omit<RecipeVersion, "recipe">[];
  bounds: RetryBounds;
}

export async function getRecipeSettings(db: Db, params: { bounds: RetryBounds }): Promise<RecipeSettings> {
  const [saved, versions] = await Promise.all([getSavedRecipe(db), listRecipeVersions(db)]);
  return { ...saved, versions: versions.map(({ recipe: _recipe, ...v }) => v), bounds: params.bounds };
}

const saveBodySchema = z.strictObject({
  recipe: z.looseObject({}, { error: (issue) => (issue.input === undefined ? "Required" : "Must be an object of recipe fields") }),
  note: z.string().trim().max(MAX_OPS_NOTE_LENGTH, `At most ${MAX_OPS_NOTE_LENGTH} characters`).default(""),
});

/** A person saves the recipe (a new version, audited); bad values change nothing. */
export async function saveRecipeFromForm(db: Db, params: { body: unknown; bounds: RetryBounds; actor: string }): Promise<{ kind: "invalid"; fields: FieldErrors } | { kind: "saved"; version: RecipeVersion }> {
  const body = saveBodySchema.safeParse(params.body ?? {});
  if (!body.success) return { kind: "invalid", fields: fieldErrorsOf(body.error.issues) };
  const recipe = makeRecipeSchema(params.bounds).strict().safeParse(body.data.recipe);
  if (!recipe.success) return { kind: "invalid", fields: fieldErrorsOf(recipe.error.issues, "recipe") };
  const oemErrors = unknownOemErrors(recipe.data, "recipe");
  if (Object.keys(oemErrors).length > 0) return { kind: "invalid", fields: oemErrors };
  return { kind: "saved", version: await saveRecipe(db, { recipe: recipe.data, author: params.actor, note: body.data.note }) };
}
