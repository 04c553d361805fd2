import { llmCalls } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { LlmCallOutcome } from "../healing/records";
import { generateStructured, type ConfiguredModel } from "../llm/provider";
import type { Recipe } from "../batches/recipe";
import { checkProposal, type SteeredChange, type SteeringContext } from "./check-proposal";
import { callCostUsd, type TokenPrice, type TokenUsage } from "./llm-price";
import { steerAnswerSchema, type SteerAnswer } from "./model-answer";
import type { ParameterDiffRow } from "./parameter-diff";
import { STEERING_SYSTEM_PROMPT, steeringPrompt } from "./steering-prompt";

export interface ProposeBatchParams extends SteeringContext {
  /** The configured model (lib/llm/provider.ts). */
  llm: ConfiguredModel;
  /** Already validated (instructionSchema). */
  instruction: string;
  /** Who asked (recorded with the call: llm_calls has no actor column). */
  askedBy: string;
  timeoutMs: number;
  price: TokenPrice | null;
}

export type SteerFailure = "rate_limited" | "timeout" | "malformed" | "error";

export type SteerProposal =
  | {
      kind: "proposed";
      instruction: string;
      /** The model's one-line reading of the instruction. */
      reading: string;
      /** The recipe with the proposal applied: what the batch would run with. */
      parameters: Recipe;
      /** Only the fields that differ from the recipe (what Run now would send). */
      change: SteeredChange;
      diff: ParameterDiffRow[];
      /** Parts of the instruction no batch parameter expresses, as the model listed them. */
      notExpressible: string[];
      model: { provider: string; model: string; latencyMs: number; costUsd: number | null };
      callId: string;
    }
  /** The model answered, but the answer is not a batch Nightshift would run (or it declined). */
  | { kind: "refused"; message: string; reading: string | null; callId: string }
  /** No usable answer: the provider failed, timed out, or answered something that is not a proposal. */
  | { kind: "failed"; reason: SteerFailure; message: string; callId: string };

const MAX_OUTPUT_TOKENS = 800;
/** What of the model's own words is shown (its reading, what it could not express): bounded, never parameters. */
const shown = (text: string, max: number) => (text.trim().length > max ? `${text.trim().slice(0, max - 1)}…` : text.trim());

function failureMessage(reason: SteerFailure, timeoutMs: number): string {
  switch (reason) {
    case "malformed":
      return "The model's answer was not a proposal Nightshift can read (malformed output). Nothing was changed: try again, or set the fields by hand.";
    case "timeout":
      return `The model did not answer within ${Math.round(timeoutMs / 100) / 10} s. Nothing was changed: try again, or set the fields by hand.`;
    case "rate_limited":
      return "The model's provider is refusing requests for now (rate limited). Nothing was changed: try again in a minute, or set the fields by hand.";
    case "error":
      return "The model could not be reached. Nothing was changed: try again later, or set the fields by hand.";
    default: {
      const never: never = reason;
      throw new Error(`unknown steering failure ${String(never)}`);
    }
  }
}

/**
 * Asks the model what batch parameters an instruction in words means, then checks its answer
 * against the real batch schema and the portals' limits (check-proposal.ts). Every call is
 * recorded in `llm_calls` (purpose "steer") with its outcome, tokens, cost and latency. Nothing
 * here plans a batch: the person confirms the proposal and presses Run now.
 */
export async function proposeBatchFromInstruction(db: Db, params: ProposeBatchParams): Promise<SteerProposal> {
  const answer = await generateStructured<SteerAnswer>({
    model: params.llm.model,
    schema: steerAnswerSchema,
    system: STEERING_SYSTEM_PROMPT,
    prompt: steeringPrompt(params, params.instruction),
    timeoutMs: params.timeoutMs,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
  });

  const record = async (outcome: LlmCallOutcome, response: Record<string, unknown>, usage: TokenUsage | null) => {
    const costUsd = callCostUsd(params.price, usage);
    const [row] = await db
      .insert(llmCalls)
      .values({
        purpose: "steer",
        provider: params.llm.provider,
        model: params.llm.modelId,
        outcome,
        response: { instruction: params.instruction, askedBy: params.askedBy, ...response },
        inputTokens: usage?.inputTokens ?? null,
        outputTokens: usage?.outputTokens ?? null,
        costUsd,
        latencyMs: answer.latencyMs,
      })
      .returning({ id: llmCalls.id });
    return { callId: row!.id, costUsd };
  };

  if (!answer.ok) {
    const outcome: LlmCallOutcome = answer.reason;
    const { callId } = await record(outcome, { error: answer.reason, detail: answer.detail.slice(0, 2_000) }, answer.usage);
    return { kind: "failed", reason: answer.reason, message: failureMessage(answer.reason, params.timeoutMs), callId };
  }

  const checked = checkProposal(answer.value, params);
  if (!checked.ok) {
    const { callId } = await record(answer.value.understood ? "invalid" : "declined", { answer: answer.value, refused: checked.problems }, answer.usage);
    return { kind: "refused", message: checked.reason, reading: shown(answer.value.reading, 300) || null, callId };
  }
  const { callId, costUsd } = await record("chose", { answer: answer.value, change: checked.change }, answer.usage);
  return {
    kind: "proposed",
    instruction: params.instruction,
    reading: shown(answer.value.reading, 300),
    parameters: checked.parameters,
    change: checked.change,
    diff: checked.diff,
    notExpressible: answer.value.notExpressible
      .map((part) => shown(part, 200))
      .filter(Boolean)
      .slice(0, 10),
    model: { provider: params.llm.provider, model: params.llm.modelId, latencyMs: answer.latencyMs, costUsd },
    callId,
  };
}
