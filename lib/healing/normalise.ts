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

/** A word that starts the other ("user" in "username") counts this much. */
export const PREFIX_WORD_SIMILARITY = 0.8;
/** Two words sharing a stem of 4+ letters, at least half the shorter ("password" ~ "passcode"). */
export const STEM_WORD_SIMILARITY = 0.5;

/** 1 for the same word; a prefix of 3+ letters `PREFIX_WORD_SIMILARITY`; a shared stem `STEM_WORD_SIMILARITY`; else 0. */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  // A synonym's canonical word ("signin", "signout") is whole: "signin" shares a stem with "signout".
  if (CANONICAL_WORDS.has(a) || CANONICAL_WORDS.has(b)) return 0;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 3 && longer.startsWith(shorter) && /\p{L}/u.test(shorter)) return PREFIX_WORD_SIMILARITY;
  let common = 0;
  while (common < shorter.length && shorter[common] === longer[common]) common++;
  return common >= 4 && common * 2 >= shorter.length ? STEM_WORD_SIMILARITY : 0;
}

/**
 * Dice with partial credit per word: each word counts its best match on the other side
 * (`wordSimilarity`), so "User ID" ~ "Username" and "Passcode" ~ "Password" are close but not
 * equal. Words written together or apart ("User name" = "Username") are the same. For lists of
 * exact words this is `dice`.
 */
export function softDice(a: readonly string[], b: readonly string[]): number {
  const left = [...new Set(a)];
  const right = [...new Set(b)];
  if (left.length === 0 && right.length === 0) return 1;
  if (left.length === 0 || right.length === 0) return 0;
  if (left.join("") === right.join("")) return 1;
  const best = (word: string, other: readonly string[]) => Math.max(...other.map((candidate) => wordSimilarity(word, candidate)));
  const total = left.reduce((sum, word) => sum + best(word, right), 0) + right.reduce((sum, word) => sum + best(word, left), 0);
  return total / (left.length + right.length);
}

/** Words that carry no meaning in a form label ("Date of failure" ~ "Failure date"). */
const STOP_WORDS = new Set(["a", "an", "the", "of", "for", "and", "or", "to", "in", "on", "your", "my", "this", "please"]);

/** How much an acronym standing for the other text's words counts ("VIN" ~ "Vehicle identification number"). */
export const ACRONYM_SIMILARITY = 0.9;

/**
 * Phrases interface text uses interchangeably for the same action, each replaced by one word
 * before comparing ("Log in" = "Sign in"). Only whole phrases of common UI verbs: a domain word
 * is never a synonym of another.
 */
const SYNONYMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(sign|log) ?(in|on)\b/g, "signin"],
  [/\b(sign|log) ?(out|off)\b/g, "signout"],
  [/\b(submit|send)\b/g, "submit"],
  [/\b(search|find|look ?up)\b/g, "search"],
  [/\b(continue|proceed|next)\b/g, "continue"],
  [/\b(ok|okay)\b/g, "ok"],
  [/\be ?mail\b/g, "email"],
];

const CANONICAL_WORDS: ReadonlySet<string> = new Set(SYNONYMS.map(([, word]) => word));

/** `normaliseText` with synonymous UI phrases written as one word. */
export function canonicalText(text: string | null | undefined): string {
  let canonical = normaliseText(text);
  for (const [phrase, word] of SYNONYMS) canonical = canonical.replace(phrase, word);
  return canonical;
}

/**
 * 1 for the same text (after synonyms); an acronym of the other's words (2+ letters) counts
 * `ACRONYM_SIMILARITY`; else the Dice coefficient of their meaningful words.
 */
export function textSimilarity(a: string | null | undefined, b: string | null | undefined): number {
  const left = canonicalText(a);
  const right = canonicalText(b);
  if (left === right) return 1;
  const leftAll = tokens(left);
  const rightAll = tokens(right);
  const leftWords = meaningful(leftAll);
  const rightWords = meaningful(rightAll);
  // "DOB" stands for "date of birth" with its stop word; "VIN" for "vehicle identification number".
  if ([leftAll, leftWords].some((long) => isAcronymOf(rightAll, long)) || [rightAll, rightWords].some((long) => isAcronymOf(leftAll, long))) return ACRONYM_SIMILARITY;
  return softDice(leftWords, rightWords);
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
  return softDice(identifierTokens(a), identifierTokens(b));
}
