// Text normalisation shared by fingerprint matching, candidate scoring and the overlay word lists.

/** Lower case, accents and punctuation dropped, "*" and "(required)" markers dropped, whitespace collapsed. */
export function normaliseText(text: string | null | undefined): string {
  if (!text) return "";
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/\((required|optional)\)/g, " ")
    .replace(/'/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Words of a normalised text. */
export function tokens(text: string | null | undefined): string[] {
  const normalised = normaliseText(text);
  return normalised === "" ? [] : normalised.split(" ");
}

/** Words of an identifier: "submitClaim", "submit-claim" and "submit_claim" all give ["submit", "claim"]. */
export function identifierTokens(identifier: string | null | undefined): string[] {
  if (!identifier) return [];
  return tokens(identifier.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " "));
}

/** Dice coefficient of two word lists (as sets): 1 = same words, 0 = none shared. */
export function dice(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  if (left.size === 0 && right.size === 0) return 1;
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return (2 * shared) / (left.size + right.size);
}

/** 1 for the same normalised text, else the Dice coefficient of their words. */
export function textSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  const left = normaliseText(a);
  const right = normaliseText(b);
  if (left === right) return 1;
  return dice(tokens(left), tokens(right));
}

/** 1 for the same identifier, else the Dice coefficient of its words. */
export function identifierSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  if ((a ?? "") === (b ?? "")) return 1;
  return dice(identifierTokens(a), identifierTokens(b));
}
