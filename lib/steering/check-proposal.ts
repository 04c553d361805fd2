import { unknownOemErrors } from "../batches/known-oems";
import { fieldErrorsOf } from "../batches/field-errors";
import { makeRecipeSchema, MAX_BATCH_CONCURRENCY, portalLimit, type Recipe, type RetryBounds } from "../batches/recipe";
import type { SteerAnswer } from "./model-answer";
import { diffParameters, type ParameterDiffRow } from "./parameter-diff";

export interface SteeringOem {
  id: string;
  label: string;
}

/** What a proposal is checked against: the saved recipe, the OEMs and case kinds that exist, the retry bounds. */
export interface SteeringContext {
  recipe: Recipe;
  oems: readonly SteeringOem[];
  kinds: readonly string[];
  bounds: RetryBounds;
}

/** The fields of a Run now request a proposal sets (only those that differ from the recipe). */
export type SteeredChange = Partial<Pick<Recipe, "oemIds" | "caseKinds" | "order" | "concurrency" | "portalConcurrency" | "dryRun">>;

export type ProposalCheck =
  | { ok: true; parameters: Recipe; change: SteeredChange; diff: ParameterDiffRow[] }
  | { ok: false; reason: string; problems: string[] };

const unique = (values: readonly string[]) => [...new Set(values.map((v) => v.trim()))];
/** The model's own words inside a refusal, bounded (it may write anything). */
const bounded = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const quoted = (values: readonly string[]) => values.map((v) => `“${bounded(v, 60)}”`).join(", ");

function refuse(problems: string[]): ProposalCheck {
  return { ok: false, reason: `The proposal was refused: ${problems.join(" ")} Nothing was changed; reword the instruction or set the fields by hand.`, problems };
}

/**
 * Checks what the model proposed against the real batch parameters: OEMs and case kinds that
 * exist, a batch session count the batch schema allows, and per-portal session limits no higher
 * than the recipe gives that portal (words may narrow a portal's load, never raise it; raising it
 * is a recipe change, made in Settings). Anything out of bounds refuses the whole proposal with a
 * sentence per problem — nothing is clamped or dropped to make it fit.
 */
export function checkProposal(answer: SteerAnswer, context: SteeringContext): ProposalCheck {
  const { recipe } = context;
  if (!answer.understood) {
    const reading = bounded(answer.reading.trim(), 300);
    return refuse([`The model found nothing in the instruction that batch parameters can express${reading ? ` (it read: “${reading}”)` : ""}.`]);
  }
  const known = new Map(context.oems.map((oem) => [oem.id, oem]));
  const labelOf = (id: string) => known.get(id)?.label ?? id;
  const knownIds = context.oems.map((oem) => oem.id).join(", ");
  const problems: string[] = [];

  const oemIds = answer.oemIds === null ? null : unique(answer.oemIds);
  const unknownOems = (oemIds ?? []).filter((id) => !known.has(id));
  if (unknownOems.length > 0) problems.push(`It names ${unknownOems.length === 1 ? "an OEM" : "OEMs"} Nightshift has no portal for: ${quoted(unknownOems)} (known: ${knownIds}).`);

  const caseKinds = answer.caseKinds === null ? null : unique(answer.caseKinds);
  const unknownKinds = (caseKinds ?? []).filter((kind) => !context.kinds.includes(kind));
  if (unknownKinds.length > 0) {
    problems.push(`It names ${unknownKinds.length === 1 ? "a case kind" : "case kinds"} no case has: ${quoted(unknownKinds)} (known: ${context.kinds.length > 0 ? context.kinds.join(", ") : "none yet"}).`);
  }

  if (answer.concurrency !== null && (answer.concurrency < 1 || answer.concurrency > MAX_BATCH_CONCURRENCY)) {
    problems.push(`It asks for ${answer.concurrency} browser sessions across the batch; a batch runs between 1 and ${MAX_BATCH_CONCURRENCY}.`);
  }

  const overrides: Record<string, number> = {};
  for (const { oemId, sessions } of answer.portalSessions ?? []) {
    if (!known.has(oemId)) {
      if (!unknownOems.includes(oemId)) problems.push(`It sets a session limit for “${bounded(oemId, 60)}”, an OEM Nightshift has no portal for (known: ${knownIds}).`);
      continue;
    }
    if (oemId in overrides && overrides[oemId] !== sessions) {
      problems.push(`It gives ${labelOf(oemId)} two different session limits (${overrides[oemId]} and ${sessions}).`);
      continue;
    }
    const limit = portalLimit(recipe, oemId);
    if (sessions < 1) problems.push(`It asks for ${sessions} sessions on ${labelOf(oemId)}; a portal in the batch needs at least 1 (to leave it out, file only the other OEMs).`);
    else if (sessions > limit) {
      problems.push(`It asks for ${sessions} sessions on ${labelOf(oemId)}; the recipe allows at most ${limit} there. Words only lower a portal's limit: raise it in the recipe first.`);
    } else overrides[oemId] = sessions;
  }
  if (problems.length > 0) return refuse(problems);

  // Only limits that differ from what the portal gets already become an entry of their own.
  const portalConcurrency = { ...recipe.portalConcurrency };
  for (const [oemId, sessions] of Object.entries(overrides)) if (sessions !== portalLimit(recipe, oemId)) portalConcurrency[oemId] = sessions;
  const candidate: Recipe = {
    ...recipe,
    oemIds: oemIds ?? recipe.oemIds,
    caseKinds: caseKinds ?? recipe.caseKinds,
    order: answer.order ?? recipe.order,
    concurrency: answer.concurrency ?? recipe.concurrency,
    portalConcurrency,
    dryRun: answer.dryRun ?? recipe.dryRun,
  };

  // The last guard is the schema Run now itself applies: a proposal it would refuse is refused here.
  const parsed = makeRecipeSchema(context.bounds).safeParse(candidate);
  if (!parsed.success) return refuse(Object.entries(fieldErrorsOf(parsed.error.issues)).map(([field, message]) => `${field}: ${message}.`));
  const oemErrors = unknownOemErrors(parsed.data);
  if (Object.keys(oemErrors).length > 0) return refuse(Object.entries(oemErrors).map(([field, message]) => `${field}: ${message}.`));

  const parameters = parsed.data;
  const diff = diffParameters(recipe, parameters, context.oems.map((oem) => oem.id));
  const changed = new Set(diff.filter((row) => row.changed).map((row) => row.field));
  const change: SteeredChange = {
    ...(changed.has("oemIds") ? { oemIds: parameters.oemIds } : {}),
    ...(changed.has("caseKinds") ? { caseKinds: parameters.caseKinds } : {}),
    ...(changed.has("order") ? { order: parameters.order } : {}),
    ...(changed.has("concurrency") ? { concurrency: parameters.concurrency } : {}),
    ...([...changed].some((field) => field.startsWith("portalConcurrency.")) ? { portalConcurrency: parameters.portalConcurrency } : {}),
    ...(changed.has("dryRun") ? { dryRun: parameters.dryRun } : {}),
  };
  return { ok: true, parameters, change, diff };
}
