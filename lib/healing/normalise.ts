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

/** Words that carry no meaning in a form label ("Date of failure" ~ "Failure date"). */
const STOP_WORDS = new Set(["a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "your", "my", "this", "please"]);

/** How much an acronym standing for the other text's words counts ("VIN" ~ "Vehicle identification number"). */
export const ACRONYM_SIMILARITY = 0.9;

/**
 * 1 for the same normalised text; an acronym of the other's words (2+ letters) counts
 * `ACRONYM_SIMILARITY`; else the Dice coefficient of their meaningful words.
 */
export function textSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  const left = normaliseText(a);
  const right = normaliseText(b);
  if (left === right) return 1;
  const leftAll = tokens(left);
  const rightAll = tokens(right);
  const leftWords = meaningful(leftAll);
  const rightWords = meaningful(rightAll);
  // "DOB" stands for "date of birth" with its stop word; "VIN" for "vehicle identification number".
  if ([leftAll, leftWords].some((long) => isAcronymOf(rightAll, long)) || [rightAll, rightWords].some((long) => isAcronymOf(leftAll, long))) return ACRONYM_SIMILARITY;
  return dice(leftWords, rightWords);
}

function meaningful(words: string[]): string[] {
  const kept = words.filter((word) => !STOP_WORDS.has(word));
  return kept.length > 0 ? kept : words;
}

/** "vin" for ["vehicle", "identification", "number"]. */
function isAcronymOf(short: readonly string[], long: readonly string[]): boolean {
  const [acronym] = short;
  if (short.length !== 1 || !acronym || acronym.length < 2 || long.length !== acronym.length) return false;
  return long.map((word) => word[0]).join("") === acronym;
}

/** 1 for the same identifier, else the Dice coefficient of its words. */
export function identifierSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  if ((a ?? "") === (b ?? "")) return 1;
  return dice(identifierTokens(a), identifierTokens(b));
}
