/**
 * Promote: the schedule, recipe and per-portal limits rehearsed on stage move to prod as data. An
 * export is a versioned JSON document; an import validates it against the receiving deployment
 * (its retry bounds, its portals), shows the diff field by field, and applies it in one
 * transaction with one audit row that carries the diff. A bad document changes nothing.
 */
import { auditLog } from "@/drizzle/schema";
import { isKnownOem, OEM_CATALOG } from "../oems/catalog";
import { makeRecipeSchema, MAX_PORTAL_CONCURRENCY, type Recipe, type RetryBounds } from "../batches/recipe";
import { getSavedRecipe, saveRecipe } from "../batches/recipe-store";
import type { Db } from "../db/client";
import { AppError } from "../errors/app-error";
import { getSchedule, saveSchedule } from "../schedule/schedule-store";
import { scheduleSchema, type Schedule } from "../schedule/schedule";
import { z } from "zod";

export const SETTINGS_FORMAT = "nightshift.settings";
export const SETTINGS_VERSION = 1;

/** The recipe as promoted: every field but the portal limits, which travel as `portalLimits`. */
export type PromotedRecipe = Omit<Recipe, "defaultPortalConcurrency" | "portalConcurrency">;

export interface PortalLimits {
  /** Sessions per portal when `byPortal` names none for it. */
  default: number;
  byPortal: Record<string, number>;
}

export interface PromotedSettings {
  schedule: Schedule;
  recipe: PromotedRecipe;
  portalLimits: PortalLimits;
}

export interface SettingsDocument extends PromotedSettings {
  format: typeof SETTINGS_FORMAT;
  version: typeof SETTINGS_VERSION;
  exportedFrom: { env: string; at: string; by: string };
}

export interface SettingsChange {
  /** Dotted path, e.g. "schedule.time", "portalLimits.byPortal.arden". */
  field: string;
  before: unknown;
  after: unknown;
  /** e.g. "Start time: 01:30 → 02:00." */
  sentence: string;
}

/** What the database holds now (defaults when nothing was saved). */
export async function readPromotedSettings(db: Db): Promise<PromotedSettings> {
  const [{ schedule }, saved] = await Promise.all([getSchedule(db), getSavedRecipe(db)]);
  const { defaultPortalConcurrency, portalConcurrency, ...recipe } = saved.recipe;
  return { schedule, recipe, portalLimits: { default: defaultPortalConcurrency, byPortal: { ...portalConcurrency } } };
}

/** The export document of this deployment. */
export async function exportSettings(db: Db, params: { env: string; by: string; now?: Date }): Promise<SettingsDocument> {
  const settings = await readPromotedSettings(db);
  return { format: SETTINGS_FORMAT, version: SETTINGS_VERSION, exportedFrom: { env: params.env, at: (params.now ?? new Date()).toISOString(), by: params.by }, ...settings };
}

const limit = z.int("A whole number").min(1, "At least 1").max(MAX_PORTAL_CONCURRENCY, `At most ${MAX_PORTAL_CONCURRENCY}`);

function documentSchema(bounds: RetryBounds) {
  return z
    .object({
      format: z.literal(SETTINGS_FORMAT),
      version: z.literal(SETTINGS_VERSION),
      exportedFrom: z.object({ env: z.string().max(20), at: z.string().max(40), by: z.string().max(200) }).strict(),
      schedule: scheduleSchema,
      recipe: makeRecipeSchema(bounds).omit({ defaultPortalConcurrency: true, portalConcurrency: true }).strict(),
      portalLimits: z.object({ default: limit, byPortal: z.record(z.string(), limit) }).strict(),
    })
    .strict();
}

/**
 * Parses an uploaded document against this deployment; throws a `bad_request` AppError whose
 * message says, in sentences, everything that is wrong.
 */
export function parseSettingsDocument(input: unknown, params: { bounds: RetryBounds }): SettingsDocument {
  const head = z.looseObject({ format: z.unknown(), version: z.unknown() }).safeParse(input);
  if (!head.success) throw new AppError("bad_request", "This is not a Nightshift settings file: expected a JSON object.");
  if (head.data.format !== SETTINGS_FORMAT) throw new AppError("bad_request", `This is not a Nightshift settings file: its format is not "${SETTINGS_FORMAT}".`);
  if (head.data.version !== SETTINGS_VERSION) {
    throw new AppError("bad_request", `This settings file is version ${JSON.stringify(head.data.version)}; this Nightshift reads version ${SETTINGS_VERSION} only. Export it again from a matching release.`);
  }
  const parsed = documentSchema(params.bounds).safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".") || "file"}: ${issue.message}`);
  // Portals this deployment does not know, named even when other fields are wrong too.
  const raw = z.looseObject({ recipe: z.looseObject({ oemIds: z.array(z.string()).catch([]) }).catch({ oemIds: [] }), portalLimits: z.looseObject({ byPortal: z.record(z.string(), z.unknown()).catch({}) }).catch({ byPortal: {} }) }).catch({ recipe: { oemIds: [] }, portalLimits: { byPortal: {} } }).parse(input);
  raw.recipe.oemIds.forEach((id, index) => {
    if (!isKnownOem(id)) problems.push(`recipe.oemIds.${index}: unknown OEM "${id}"`);
  });
  for (const id of Object.keys(raw.portalLimits.byPortal)) if (!isKnownOem(id)) problems.push(`portalLimits.byPortal.${id}: unknown OEM "${id}"`);
  if (problems.length > 0 || !parsed.success) {
    throw new AppError("bad_request", `The settings file was refused and nothing changed: ${problems.join("; ")}.`, { fields: Object.fromEntries(problems.map((p) => [p.split(":")[0]!, [p.slice(p.indexOf(":") + 2)]])) });
  }
  return parsed.data;
}

const SCHEDULE_LABELS: Record<keyof Schedule, string> = { enabled: "Nightly batch", time: "Start time", timeZone: "Time zone", deadline: "Deadline" };
const RECIPE_LABELS: Record<keyof PromotedRecipe, string> = {
  oemIds: "Portals filed",
  caseKinds: "Case kinds filed",
  order: "Order",
  concurrency: "Browser sessions per batch",
  dryRun: "Dry run",
  retry: "Retry override",
  opsNote: "Note for the night's operators",
};

function show(value: unknown): string {
  if (value === undefined || value === null) return "none";
  if (typeof value === "boolean") return value ? "on" : "off";
  if (Array.isArray(value)) return value.length === 0 ? "all" : value.join(", ");
  if (typeof value === "string") return value === "" ? "empty" : value;
  if (typeof value === "object") {
    const retry = value as { maxAttempts?: number; delaySeconds?: number };
    if (retry.maxAttempts !== undefined) return `${retry.maxAttempts} attempts, ${retry.delaySeconds} s apart`;
    return JSON.stringify(value);
  }
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

function oemLabel(id: string): string {
  return OEM_CATALOG.find((o) => o.id === id)?.label ?? id;
}

/** Field by field, what importing `next` over `current` changes, as sentences. */
export function diffSettings(current: PromotedSettings, next: PromotedSettings): SettingsChange[] {
  const changes: SettingsChange[] = [];
  const push = (field: string, before: unknown, after: unknown, label: string, render: (v: unknown) => string = show) => {
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ field, before: before ?? null, after: after ?? null, sentence: `${label}: ${render(before)} → ${render(after)}.` });
  };
  for (const key of Object.keys(SCHEDULE_LABELS) as Array<keyof Schedule>) push(`schedule.${key}`, current.schedule[key], next.schedule[key], SCHEDULE_LABELS[key]);
  for (const key of Object.keys(RECIPE_LABELS) as Array<keyof PromotedRecipe>) push(`recipe.${key}`, current.recipe[key], next.recipe[key], RECIPE_LABELS[key]);
  push("portalLimits.default", current.portalLimits.default, next.portalLimits.default, "Sessions per portal (default)");
  for (const id of [...new Set([...Object.keys(current.portalLimits.byPortal), ...Object.keys(next.portalLimits.byPortal)])].sort()) {
    push(`portalLimits.byPortal.${id}`, current.portalLimits.byPortal[id], next.portalLimits.byPortal[id], `Sessions on ${oemLabel(id)}`, (v) => (v === undefined || v === null ? "the default" : show(v)));
  }
  return changes;
}

export interface ImportResult {
  preview: boolean;
  exportedFrom: SettingsDocument["exportedFrom"];
  changes: SettingsChange[];
  /** The recipe version saved by this import, when the recipe or limits changed. */
  recipeVersion: number | null;
}

/**
 * Previews or applies a settings document. Applying runs in one transaction: the schedule (when
 * it changed), a new recipe version (when the recipe or limits changed) and one `settings.import`
 * audit row with the diff; any failure rolls all of it back.
 */
export async function importSettings(db: Db, params: { input: unknown; bounds: RetryBounds; actor: string; preview: boolean }): Promise<ImportResult> {
  const document = parseSettingsDocument(params.input, { bounds: params.bounds });
  const next: PromotedSettings = { schedule: document.schedule, recipe: document.recipe, portalLimits: document.portalLimits };
  if (params.preview) {
    return { preview: true, exportedFrom: document.exportedFrom, changes: diffSettings(await readPromotedSettings(db), next), recipeVersion: null };
  }
  return db.transaction(async (tx) => {
    const current = await readPromotedSettings(tx);
    const changes = diffSettings(current, next);
    let recipeVersion: number | null = null;
    if (changes.some((c) => c.field.startsWith("schedule."))) await saveSchedule(tx, { schedule: next.schedule, actor: params.actor });
    if (changes.some((c) => !c.field.startsWith("schedule."))) {
      const recipe: Recipe = { ...next.recipe, defaultPortalConcurrency: next.portalLimits.default, portalConcurrency: next.portalLimits.byPortal };
      const note = `Imported from ${document.exportedFrom.env} (exported ${document.exportedFrom.at} by ${document.exportedFrom.by})`;
      recipeVersion = (await saveRecipe(tx, { recipe, author: params.actor, note: note.slice(0, 500) })).version;
    }
    await tx.insert(auditLog).values({
      actor: params.actor,
      action: "settings.import",
      details: { exportedFrom: document.exportedFrom, changes: changes.map(({ field, before, after }) => ({ field, before, after })), recipeVersion },
    });
    return { preview: false, exportedFrom: document.exportedFrom, changes, recipeVersion };
  });
}
