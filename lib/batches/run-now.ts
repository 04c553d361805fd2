import type { Db } from "../db/client";
import type { JobQueue } from "../queue/job-queue";
import { PRIORITY } from "../queue/tasks";
import { fieldErrorsOf, type FieldErrors } from "./field-errors";
import { unknownOemErrors } from "./known-oems";
import { manualBatchDeadline } from "./manual-deadline";
import { planBatch } from "./plan-batch";
import { makeBatchRequestSchema, type BatchPlan, type RetryBounds } from "./recipe";
import { getSavedRecipe } from "./recipe-store";
import { MAX_INSTRUCTION_LENGTH } from "../steering/instruction";

export interface RunNowParams {
  /** The request body as sent (validated here against the deployment's bounds). */
  body: unknown;
  bounds: RetryBounds;
  actor: string;
  defaultMaxAttempts: number;
  now?: Date;
}

export type RunNowResult =
  | { kind: "invalid"; fields: FieldErrors }
  | { kind: "planned"; batchId: string; caseCount: number; deadline: Date }
  | { kind: "nothing_to_file" };

/**
 * "Run now": a manual batch with the saved recipe, any recipe field of the request replacing the
 * saved one (arrays and objects replace, they are not merged), or exactly the cases named by
 * `caseIds`. Its deadline is the schedule's next morning deadline. Bad input changes nothing.
 */
export async function runNow(db: Db, queue: JobQueue, params: RunNowParams): Promise<RunNowResult> {
  const { instruction: rawInstruction, ...request } = (params.body ?? {}) as Record<string, unknown>;
  const instruction = instructionOf(rawInstruction);
  const parsed = makeBatchRequestSchema(params.bounds).safeParse(request);
  if (!parsed.success || !instruction.ok) {
    return { kind: "invalid", fields: { ...(parsed.success ? {} : fieldErrorsOf(parsed.error.issues)), ...(instruction.ok ? {} : { instruction: instruction.error }) } };
  }
  const oemErrors = unknownOemErrors(parsed.data);
  if (Object.keys(oemErrors).length > 0) return { kind: "invalid", fields: oemErrors };

  // The schema fills defaults for absent fields; only what the person sent replaces the saved recipe.
  const sent = new Set(Object.keys(request));
  const change = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => sent.has(key)));
  const saved = await getSavedRecipe(db);
  const plan: BatchPlan = { ...saved.recipe, ...change };
  const now = params.now ?? new Date();
  const deadline = await manualBatchDeadline(db, now);
  const result = await planBatch(db, queue, {
    trigger: "manual",
    plan,
    recipeVersion: saved.version,
    deadline,
    createdBy: params.actor,
    instruction: instruction.value,
    defaultMaxAttempts: params.defaultMaxAttempts,
    now,
    // Run now on chosen cases (a retry from the case page) goes ahead of a queued nightly batch.
    ...(plan.caseIds ? { priority: PRIORITY.urgent } : {}),
  });
  if (result.kind !== "planned") return { kind: "nothing_to_file" };
  return { kind: "planned", batchId: result.batchId, caseCount: result.caseCount, deadline };
}

/** The optional instruction in words the batch was steered with: trimmed, empty = none, at most 500 characters. */
function instructionOf(value: unknown): { ok: true; value: string | null } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== "string") return { ok: false, error: "Must be text" };
  const text = value.trim();
  if (text.length > MAX_INSTRUCTION_LENGTH) return { ok: false, error: `At most ${MAX_INSTRUCTION_LENGTH} characters` };
  return { ok: true, value: text === "" ? null : text };
}
