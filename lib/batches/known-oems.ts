import { isKnownOem } from "../oems/catalog";
import type { Recipe } from "./recipe";
import type { FieldErrors } from "./field-errors";

/** Recipe fields that name OEMs: an id Nightshift has no portal for is a field error. */
export function unknownOemErrors(recipe: Partial<Pick<Recipe, "oemIds" | "portalConcurrency">>, prefix = ""): FieldErrors {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const fields: FieldErrors = {};
  (recipe.oemIds ?? []).forEach((id, index) => {
    if (!isKnownOem(id)) fields[at(`oemIds.${index}`)] = `Unknown OEM "${id}"`;
  });
  for (const id of Object.keys(recipe.portalConcurrency ?? {})) {
    if (!isKnownOem(id)) fields[at(`portalConcurrency.${id}`)] = `Unknown OEM "${id}"`;
  }
  return fields;
}
