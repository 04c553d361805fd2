import { desc } from "drizzle-orm";
import { recipeVersions } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { DEFAULT_RECIPE, type Recipe } from "./recipe";

export interface SavedRecipe {
  /** null: nothing saved yet (the defaults apply). */
  version: number | null;
  recipe: Recipe;
  author: string | null;
  note: string;
  createdAt: Date | null;
}

/** The saved recipe (its latest version), or the defaults when none was saved. */
export async function getSavedRecipe(db: Db): Promise<SavedRecipe> {
  const [latest] = await db.select().from(recipeVersions).orderBy(desc(recipeVersions.version)).limit(1);
  if (!latest) return { version: null, recipe: DEFAULT_RECIPE, author: null, note: "", createdAt: null };
  return { version: latest.version, recipe: { ...DEFAULT_RECIPE, ...latest.recipe }, author: latest.author, note: latest.note, createdAt: latest.createdAt };
}
