import { EnvError, type Env } from "../config/env";
import type { Db } from "../db/client";
import { getSavedRecipe } from "../batches/recipe-store";
import type { RetryBounds } from "../batches/recipe";
import { listCaseKinds } from "../cases/queries/list-case-kinds";
import { createLanguageModel } from "../llm/provider";
import { OEM_CATALOG } from "../oems/catalog";
import { parsePrice } from "../healing/model-tier";
import { proposeBatchFromInstruction, type SteerProposal } from "./propose-batch";

export interface SteerRunNowParams {
  env: Env;
  bounds: RetryBounds;
  /** Already validated (instructionSchema). */
  instruction: string;
  /** The person asking (their id). */
  actor: string;
}

/** No model is configured (HEALING_LLM=off): nothing is asked, the form works as before. */
export const NO_MODEL_MESSAGE = "No language model is configured (HEALING_LLM=off), so instructions in words are off: set the batch parameters by hand.";

/**
 * Run now's "Propose": the instruction read by the configured model against the saved recipe,
 * the OEM catalog and the case kinds that exist. With HEALING_LLM=off no request is made.
 */
export async function steerRunNow(db: Db, params: SteerRunNowParams): Promise<SteerProposal | { kind: "no_model" | "misconfigured"; message: string }> {
  let llm: ReturnType<typeof createLanguageModel>;
  try {
    llm = createLanguageModel(params.env);
  } catch (error) {
    // Variable names and what they need, never their values.
    if (error instanceof EnvError) return { kind: "misconfigured", message: `The language model is not configured completely: ${error.issues.join("; ")}.` };
    throw error;
  }
  if (!llm) return { kind: "no_model", message: NO_MODEL_MESSAGE };
  const [saved, kinds] = await Promise.all([getSavedRecipe(db), listCaseKinds(db)]);
  return proposeBatchFromInstruction(db, {
    llm,
    recipe: saved.recipe,
    oems: OEM_CATALOG.map((oem) => ({ id: oem.id, label: oem.label })),
    kinds,
    bounds: params.bounds,
    instruction: params.instruction,
    askedBy: params.actor,
    timeoutMs: params.env.HEALING_LLM_TIMEOUT_MS,
    price: parsePrice(params.env.HEALING_LLM_PRICE_PER_MTOK),
  });
}
