/**
 * The Settings page's data over JSON: GET/PUT /api/settings/schedule and /api/settings/recipe.
 * Dates stay ISO strings here; components format them.
 */
import type { Recipe, RetryBounds } from "@/lib/batches/recipe";
import type { Schedule } from "@/lib/schedule/schedule";
import { fetchJson, putJson } from "@/components/query/fetch-json";

export interface ScheduleAnswer {
  schedule: Schedule;
  /** In words: "Every night at 1:30 AM Central · done by 7:00 AM". */
  description: string;
  nextSlot: string | null;
  nextDeadline: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface RecipeVersionSummary {
  version: number;
  author: string;
  note: string;
  createdAt: string;
}

export interface RecipeAnswer {
  version: number | null;
  recipe: Recipe;
  author: string | null;
  note: string;
  createdAt: string | null;
  versions: RecipeVersionSummary[];
  bounds: RetryBounds;
  /** The deployment's retry policy, shown when the recipe does not override it. */
  defaultRetry?: { maxAttempts: number; delaySeconds: number };
}

export const settingsKeys = {
  schedule: ["settings", "schedule"] as const,
  recipe: ["settings", "recipe"] as const,
};

export const fetchSchedule = () => fetchJson<ScheduleAnswer>("/api/settings/schedule", { cache: "no-store", fallback: "The schedule could not be loaded." });
export const saveSchedule = (schedule: Schedule) => putJson<ScheduleAnswer>("/api/settings/schedule", schedule, { fallback: "The schedule could not be saved." });
export const fetchRecipe = () => fetchJson<RecipeAnswer>("/api/settings/recipe", { cache: "no-store", fallback: "The recipe could not be loaded." });
/** Saves a new version; answers the version row (the page refetches the recipe). */
export const saveRecipe = (body: { recipe: unknown; note: string }) => putJson<RecipeVersionSummary>("/api/settings/recipe", body, { fallback: "The recipe could not be saved." });
