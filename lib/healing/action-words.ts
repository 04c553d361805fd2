// Words that decide which buttons the healer may press: a deny-list of destructive actions, never
// clicked to get rid of an overlay nor chosen as a heal for a target that is not itself one, and the
// close/acknowledge words a generic overlay dismissal prefers. English only, matched on normalised
// accessible names ("Delete my data" → "delete my data").

import { normaliseText } from "./normalise";

/**
 * Destructive or session-ending actions. Stems catch inflections ("deleting", "removal",
 * "withdrawal", "revocation"). "Sign in again" is here because on portals it signs the session out.
 */
const DESTRUCTIVE_PATTERNS: readonly RegExp[] = [
  /\b(delet|remov|withdr|discard|revok|revoc|eras|wipe|unsubscrib|deactivat|terminat|abandon|forfeit|destroy|purg)\w*/,
  /\bcancel\w*\b.*\b(submission|claim|filing|report|order|request|application|account|subscription|case|registration)s?\b/,
  /\b(sign|log)\s?(out|off)\b/,
  /\bsign in again\b/,
  /\bend (my |the |this )?session\b/,
  /\bclose (my |your |the )?account\b/,
  /\breset\b/,
  /\bclear (all|form|data|everything|fields)\b/,
  /\bstart over\b/,
  /\bpermanently\b/,
];

/** True when a control with this accessible name would destroy, withdraw or sign out. */
export function isDestructiveName(name: string | null | undefined): boolean {
  const normalised = normaliseText(name);
  return normalised !== "" && DESTRUCTIVE_PATTERNS.some((pattern) => pattern.test(normalised));
}

/**
 * Words a heal must not drift into: a target that is not itself one of these is never healed to a
 * control named with them ("Submit claim" never becomes "Cancel" or "Back").
 */
const OPPOSITE_INTENT_PATTERNS: readonly RegExp[] = [/\bcancel\w*\b/, /\bback\b/, /\bprevious\b/, /\bclear\b/, /\bundo\b/, /\breject\w*\b/, /\bdecline\w*\b/];

/**
 * True when `observed` names an action the stored name does not: a destructive one, or one of
 * the opposite-intent words (cancel, back, clear, reject …) absent from the stored name.
 */
export function driftsToOtherAction(stored: string | null | undefined, observed: string | null | undefined): boolean {
  if (isDestructiveName(observed) && !isDestructiveName(stored)) return true;
  const storedText = normaliseText(stored);
  const observedText = normaliseText(observed);
  return OPPOSITE_INTENT_PATTERNS.some((pattern) => pattern.test(observedText) && !pattern.test(storedText));
}

/** Close/acknowledge words, best first: rank 0 closes, 1 acknowledges, 2 consents or continues, 3 declines politely. */
const DISMISS_WORDS: readonly (readonly RegExp[])[] = [
  [/^(close|dismiss|hide)\b/, /\b(close|dismiss)\b/],
  [/^(ok|okay)\b/, /\bgot it\b/, /\bi understand\b/, /\bunderstood\b/, /\backnowledge\w*\b/],
  [/^(accept|agree|continue|proceed|allow)\b/, /\bi agree\b/, /\baccept\b/],
  [/^(no thanks|no thank you|not now|maybe later|later|skip|remind me later)\b/],
];
/** Icon-only close buttons whose accessible name is just the glyph. */
const CLOSE_GLYPHS = new Set(["×", "✕", "✖", "x", "X", "╳"]);

/** The rank of a close/acknowledge name (0 best), or null when the name is none of those or is destructive. */
export function dismissRank(name: string | null | undefined): number | null {
  if (isDestructiveName(name)) return null;
  if (CLOSE_GLYPHS.has((name ?? "").trim())) return 0;
  const normalised = normaliseText(name);
  if (normalised === "") return null;
  const rank = DISMISS_WORDS.findIndex((patterns) => patterns.some((pattern) => pattern.test(normalised)));
  return rank === -1 ? null : rank;
}

export interface DismissChoice {
  /** Index into the buttons given, or null when none may be pressed (then Escape). */
  index: number | null;
  name: string | null;
  rank: number | null;
  /** Buttons skipped because they are destructive, by name. */
  refused: string[];
}

/**
 * Chooses the overlay button to press: the best-ranked close/acknowledge button, ties to the first
 * in page order; never a destructive one, however it is worded otherwise.
 */
export function chooseDismissButton(names: readonly string[]): DismissChoice {
  const refused = names.filter((name) => isDestructiveName(name));
  let best: DismissChoice = { index: null, name: null, rank: null, refused };
  names.forEach((name, index) => {
    const rank = dismissRank(name);
    if (rank === null) return;
    if (best.rank === null || rank < best.rank) best = { index, name, rank, refused };
  });
  return best;
}
