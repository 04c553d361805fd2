import type { parsePrice } from "../healing/model-tier";

/** Dollars per million tokens, input and output (HEALING_LLM_PRICE_PER_MTOK, parsed by the model tier's `parsePrice`). */
export type TokenPrice = NonNullable<ReturnType<typeof parsePrice>>;

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
}

/** The cost of one call in dollars, or null without a price or a token count. */
export function callCostUsd(price: TokenPrice | null, usage: TokenUsage | null): number | null {
  if (!price || !usage || usage.inputTokens === null || usage.outputTokens === null) return null;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
