import { z } from "zod";
import { BATCH_ORDERS } from "../domain/vocabulary";

/**
 * The recipe: what a batch files and how. One schema, shared by the Settings and Run now forms,
 * the API and the batch planner. The nightly batch uses the saved recipe (versioned in
 * `recipe_versions`); Run now merges a one-off change over it without saving it.
 */

/** Bounds of the retry override. Production allows 2–10 min between attempts. */
export interface RetryBounds {
  minDelaySeconds: number;
  maxDelaySeconds: number;
}
export const PRODUCTION_RETRY_BOUNDS: RetryBounds = { minDelaySeconds: 120, maxDelaySeconds: 600 };
/** The sandbox (demos, tests, soak) runs nights in minutes: delays from 1 s. */
export const SANDBOX_RETRY_BOUNDS: RetryBounds = { minDelaySeconds: 1, maxDelaySeconds: 600 };

export const MAX_BATCH_CONCURRENCY = 16;
export const MAX_PORTAL_CONCURRENCY = 8;
export const MAX_OPS_NOTE_LENGTH = 500;

/** Ids are lower-case slugs (OEM ids, case kinds). */
const slug = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "Use lower-case letters, digits, - and _");

export function makeRecipeSchema(bounds: RetryBounds) {
  return z.object({
    /** Only these OEMs; empty means all. */
    oemIds: z.array(slug).max(50).default([]),
    /** Only these case kinds; empty means all. */
    caseKinds: z.array(slug).max(50).default([]),
    order: z.enum(BATCH_ORDERS).default("redaction_first"),
    /** Browser sessions across all workers for this batch. */
    concurrency: z.int().min(1, "At least 1").max(MAX_BATCH_CONCURRENCY, `At most ${MAX_BATCH_CONCURRENCY}`).default(3),
    /** Sessions per portal at any instant, when `portalConcurrency` names no limit for it. */
    defaultPortalConcurrency: z.int().min(1, "At least 1").max(MAX_PORTAL_CONCURRENCY, `At most ${MAX_PORTAL_CONCURRENCY}`).default(2),
    /** Per-portal session limits by OEM id. */
    portalConcurrency: z.record(slug, z.int().min(1, "At least 1").max(MAX_PORTAL_CONCURRENCY, `At most ${MAX_PORTAL_CONCURRENCY}`)).default({}),
    /** Every step up to the final submit; nothing filed, only a dry-run note to the CRM. */
    dryRun: z.boolean().default(false),
    /** Overrides the deployment's retry policy for this batch; null keeps it. */
    retry: z
      .object({
        maxAttempts: z.int().min(1, "At least 1 attempt").max(5, "At most 5 attempts"),
        delaySeconds: z
          .number()
          .min(bounds.minDelaySeconds, `At least ${formatSeconds(bounds.minDelaySeconds)}`)
          .max(bounds.maxDelaySeconds, `At most ${formatSeconds(bounds.maxDelaySeconds)}`),
      })
      .nullable()
      .default(null),
    /** Free text for the night's operators, shown on the batch ("Corvid first: audit on Friday"). */
    opsNote: z.string().trim().max(MAX_OPS_NOTE_LENGTH, `At most ${MAX_OPS_NOTE_LENGTH} characters`).default(""),
  });
}

export type Recipe = z.output<ReturnType<typeof makeRecipeSchema>>;
export type RecipeInput = z.input<ReturnType<typeof makeRecipeSchema>>;

/** The recipe a fresh install starts with (version 0, never saved). */
export const DEFAULT_RECIPE: Recipe = makeRecipeSchema(PRODUCTION_RETRY_BOUNDS).parse({});

/** A Run now request: any recipe field (merged over the saved recipe), or specific cases. */
export function makeBatchRequestSchema(bounds: RetryBounds) {
  return makeRecipeSchema(bounds)
    .partial()
    .extend({
      /** File exactly these cases (pending or in a terminal fail); the filters are then ignored. */
      caseIds: z.array(z.uuid("Not a case id")).min(1).max(10_000).optional(),
    })
    .strict();
}
export type BatchRequest = z.output<ReturnType<typeof makeBatchRequestSchema>>;

/** What a batch ran with, as stored on `batches.parameters`. */
export interface BatchPlan extends Recipe {
  caseIds?: string[];
  /** Why a batch without a person or schedule started (e.g. "start-up", "soak"). */
  reason?: string;
}

/** Reads `batches.parameters` of any age: rows from before recipes get the defaults. */
export function parseBatchPlan(value: unknown): BatchPlan {
  const loose = z.looseObject({ caseIds: z.array(z.string()).optional(), reason: z.string().optional() }).catch({}).parse(value);
  const recipe = makeRecipeSchema(SANDBOX_RETRY_BOUNDS).catch(DEFAULT_RECIPE).parse(value ?? {});
  return { ...recipe, ...(loose.caseIds ? { caseIds: loose.caseIds } : {}), ...(loose.reason ? { reason: loose.reason } : {}) };
}

/** The session limit of one portal under a recipe. */
export function portalLimit(recipe: Pick<Recipe, "portalConcurrency" | "defaultPortalConcurrency">, oemId: string): number {
  return recipe.portalConcurrency[oemId] ?? recipe.defaultPortalConcurrency;
}

function formatSeconds(seconds: number): string {
  return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
