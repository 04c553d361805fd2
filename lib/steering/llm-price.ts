/** Dollars per million tokens, input and output (HEALING_LLM_PRICE_PER_MTOK "0.15,0.6"). */
export interface TokenPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

export function parseTokenPrice(text: string | undefined): TokenPrice | null {
  if (!text) return null;
  const [input, output] = text.split(",").map(Number);
  if (input === undefined || output === undefined || !Number.isFinite(input) || !Number.isFinite(output)) return null;
  return { inputPerMTok: input, outputPerMTok: output };
}

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
}

/** The cost of one call in dollars, or null without a price or a token count. */
export function callCostUsd(price: TokenPrice | null, usage: TokenUsage | null): number | null {
  if (!price || !usage || usage.inputTokens === null || usage.outputTokens === null) return null;
  return (usage.inputTokens * price.inputPerMTok + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}
