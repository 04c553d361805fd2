import { desc, sql } from "drizzle-orm";
import { auditLog, recipeVersions } from "@/drizzle/schema";
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

export interface RecipeVersion {
  version: number;
  recipe: Recipe;
  author: string;
  note: string;
  createdAt: Date;
}

/** The saved recipe (its latest version), or the defaults when none was saved. */
export async function getSavedRecipe(db: Db): Promise<SavedRecipe> {
  const [latest] = await db.select().from(recipeVersions).orderBy(desc(recipeVersions.version)).limit(1);
  if (!latest) return { version: null, recipe: DEFAULT_RECIPE, author: null, note: "", createdAt: null };
  return { version: latest.version, recipe: { ...DEFAULT_RECIPE, ...latest.recipe }, author: latest.author, note: latest.note, createdAt: latest.createdAt };
}

export interface SaveRecipeParams {
  /** Already validated with `makeRecipeSchema(bounds)` (and known OEM ids) by the caller. */
  recipe: Recipe;
  author: string;
  note: string;
}

// One key for pg_advisory_xact_lock: two saves at once get consecutive versions, not a key clash.
const RECIPE_SAVE_LOCK = 8_151_001;

/** Saves a new version of the recipe (the latest + 1), audited as "recipe.save". */
export async function saveRecipe(db: Db, params: SaveRecipeParams): Promise<RecipeVersion> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RECIPE_SAVE_LOCK})`);
    const [latest] = await tx.select({ version: sql<number>`coalesce(max(${recipeVersions.version}), 0)::int` }).from(recipeVersions);
    const version = (latest?.version ?? 0) + 1;
    const [row] = await tx.insert(recipeVersions).values({ version, recipe: params.recipe, author: params.author, note: params.note }).returning();
    if (!row) throw new Error("recipe insert returned nothing");
    await tx.insert(auditLog).values({ actor: params.author, action: "recipe.save", details: { version, note: params.note, recipe: params.recipe } });
    return { version: row.version, recipe: { ...DEFAULT_RECIPE, ...row.recipe }, author: row.author, note: row.note, createdAt: row.createdAt };
  });
}

/** Saved versions, newest first. */
export async function listRecipeVersions(db: Db, params: { limit?: number } = {}): Promise<RecipeVersion[]> {
  const rows = await db.select().from(recipeVersions).orderBy(desc(recipeVersions.version)).limit(params.limit ?? 50);
  return rows.map((r) => ({ version: r.version, recipe: { ...DEFAULT_RECIPE, ...r.recipe }, author: r.author, note: r.note, createdAt: r.createdAt }));
}
