// Deterministic healing: scores the elements on the page against the fingerprint recorded the last
// time the step worked, and accepts one only when it wins clearly. Weights, thresholds and the
// reasoning behind them: docs/healing.md.

import { driftsToOtherAction } from "./action-words";
import { dice, identifierSimilarity, normaliseText, textSimilarity } from "./normalise";
import type { ElementFingerprint } from "./types";

export const SCORE_FEATURES = ["role", "name", "label", "id", "nameAttribute", "testId", "placeholder", "type", "tag", "options", "soleKind", "ancestors", "position", "nearbyText"] as const;
export type ScoreFeature = (typeof SCORE_FEATURES)[number];

/**
 * What each feature is worth (they add up to 1). Role and accessible name are the strongest; the
 * `name` attribute is the key the form posts, so it outweighs id and test id; structure (place in
 * the form, ancestors, nearby text) together is worth less than the name alone.
 */
export const SCORE_WEIGHTS: Record<ScoreFeature, number> = {
  role: 0.12,
  name: 0.16,
  label: 0.06,
  id: 0.03,
  nameAttribute: 0.09,
  testId: 0.03,
  placeholder: 0.01,
  /** The kind of control: input type, textarea, select (a free-text box is not a date field). */
  type: 0.05,
  tag: 0.01,
  /**
   * A select's options: a redesign relabels a select far more often than it changes its choices, so
   * the same choices in the same place heal a select whose label, id and name all changed.
   */
  options: 0.2,
  /** The form's only control of its kind (its one textarea, its one checkbox) is still its only one. */
  soleKind: 0.16,
  ancestors: 0.03,
  position: 0.03,
  nearbyText: 0.02,
};

/** Features counted only when the stored fingerprint has a value for them (a button has no label). */
const OPTIONAL_FEATURES: ReadonlySet<ScoreFeature> = new Set(["label", "id", "nameAttribute", "testId", "placeholder", "type", "options", "soleKind", "nearbyText"]);

export interface ScoreOptions {
  /** The best score must reach this (0–1). */
  threshold: number;
  /** …and beat the runner-up by at least this much. */
  margin: number;
}

/** Why a candidate may not be chosen for reasons outside its fingerprint (e.g. it already is another target on this page), else null. */
export type ExcludeCandidate<C> = (candidate: C) => string | null;

export const DEFAULT_SCORE_OPTIONS: ScoreOptions = { threshold: 0.5, margin: 0.15 };

export interface FeatureReason {
  feature: ScoreFeature;
  weight: number;
  /** 0–1. */
  similarity: number;
  /** weight × similarity, before normalisation. */
  contribution: number;
  stored: string;
  observed: string;
}

export interface ScoredCandidate<C> {
  candidate: C;
  /** Position in the list given. */
  index: number;
  /** 0–1: contributions over the weight of the features the stored fingerprint has. */
  score: number;
  /** Why the candidate can never be chosen (different role, a destructive or opposite action), else null. */
  excluded: string | null;
  reasons: FeatureReason[];
}

export type HealDecision<C> =
  | { outcome: "accepted"; best: ScoredCandidate<C>; runnerUp: ScoredCandidate<C> | null; margin: number; ranking: ScoredCandidate<C>[] }
  | { outcome: "ambiguous"; best: ScoredCandidate<C>; runnerUp: ScoredCandidate<C>; margin: number; ranking: ScoredCandidate<C>[] }
  | { outcome: "no_match"; best: ScoredCandidate<C> | null; ranking: ScoredCandidate<C>[] };

/** Scores one observed fingerprint against the stored one, feature by feature. */
export function scoreFingerprint(stored: ElementFingerprint, observed: ElementFingerprint): { score: number; excluded: string | null; reasons: FeatureReason[] } {
  const features: Array<[ScoreFeature, number, string, string]> = [
    ["role", (stored.role ?? "") === (observed.role ?? "") ? 1 : 0, stored.role ?? "", observed.role ?? ""],
    ["name", textSimilarity(stored.name, observed.name), stored.name, observed.name],
    ["label", textSimilarity(stored.label, observed.label), stored.label ?? "", observed.label ?? ""],
    ["id", identifierSimilarity(stored.id, observed.id), stored.id ?? "", observed.id ?? ""],
    ["nameAttribute", identifierSimilarity(stored.nameAttribute, observed.nameAttribute), stored.nameAttribute ?? "", observed.nameAttribute ?? ""],
    ["testId", identifierSimilarity(stored.testId, observed.testId), stored.testId ?? "", observed.testId ?? ""],
    ["placeholder", textSimilarity(stored.placeholder, observed.placeholder), stored.placeholder ?? "", observed.placeholder ?? ""],
    ["type", controlType(stored) === controlType(observed) ? 1 : 0, controlType(stored), controlType(observed)],
    ["tag", stored.tag === observed.tag ? 1 : 0, stored.tag, observed.tag],
    ["soleKind", soleKind(stored) && soleKind(observed) && controlType(stored) === controlType(observed) ? 1 : 0, soleKind(stored) ? `the only ${controlType(stored)}` : "", soleKind(observed) ? `the only ${controlType(observed)}` : `${observed.kindCount ?? "?"} of its kind`],
    ["options", dice((stored.options ?? []).map(normaliseText), (observed.options ?? []).map(normaliseText)), (stored.options ?? []).join(" | "), (observed.options ?? []).join(" | ")],
    ["ancestors", dice(stored.ancestors.map(normaliseText), observed.ancestors.map(normaliseText)), stored.ancestors.join(" > "), observed.ancestors.join(" > ")],
    ["position", positionSimilarity(stored, observed), `${stored.siblingIndex + 1} of ${stored.siblingCount}`, `${observed.siblingIndex + 1} of ${observed.siblingCount}`],
    ["nearbyText", textSimilarity(stored.nearbyText, observed.nearbyText), stored.nearbyText ?? "", observed.nearbyText ?? ""],
  ];
  let total = 0;
  let available = 0;
  const reasons: FeatureReason[] = [];
  for (const [feature, similarity, storedValue, observedValue] of features) {
    if (OPTIONAL_FEATURES.has(feature) && storedValue === "") continue;
    const weight = SCORE_WEIGHTS[feature];
    available += weight;
    total += weight * similarity;
    reasons.push({ feature, weight, similarity: round(similarity), contribution: round(weight * similarity), stored: storedValue, observed: observedValue });
  }
  const score = available === 0 ? 0 : round(total / available);
  let excluded: string | null = null;
  if ((stored.role ?? "") !== (observed.role ?? "")) excluded = `role is ${observed.role ?? "none"}, the target's is ${stored.role ?? "none"}`;
  else if (isSecret(stored) !== isSecret(observed)) excluded = isSecret(stored) ? "not a password field, the target is one" : "a password field, the target is not";
  else if (driftsToOtherAction(stored.name, observed.name)) excluded = `"${observed.name}" names a different action than "${stored.name}"`;
  return { score, excluded, reasons };
}

/**
 * Ranks candidates against the stored fingerprint and decides: accepted only when the best
 * eligible candidate reaches the threshold AND beats the runner-up by the margin; a close second
 * is `ambiguous` (no action); nothing over the threshold is `no_match`. Excluded candidates (other
 * role, destructive or opposite action) never win and never count as a runner-up.
 */
export function scoreCandidates<C extends { fingerprint: ElementFingerprint }>(
  stored: ElementFingerprint,
  candidates: readonly C[],
  options: ScoreOptions = DEFAULT_SCORE_OPTIONS,
  exclude?: ExcludeCandidate<C>,
): HealDecision<C> {
  const ranking = candidates
    .map((candidate, index): ScoredCandidate<C> => {
      const scored = scoreFingerprint(stored, candidate.fingerprint);
      return { candidate, index, ...scored, excluded: scored.excluded ?? exclude?.(candidate) ?? null };
    })
    .sort((a, b) => Number(a.excluded !== null) - Number(b.excluded !== null) || b.score - a.score || a.index - b.index);
  const eligible = ranking.filter((scored) => scored.excluded === null);
  const best = eligible[0];
  if (!best || best.score < options.threshold) return { outcome: "no_match", best: best ?? null, ranking };
  const runnerUp = eligible[1] ?? null;
  const margin = round(best.score - (runnerUp?.score ?? 0));
  if (runnerUp && margin < options.margin) return { outcome: "ambiguous", best, runnerUp, margin, ranking };
  return { outcome: "accepted", best, runnerUp, margin, ranking };
}

/** What kind of control it is: an input's type (text by default), else textarea, select, a button's type. */
function controlType(fingerprint: ElementFingerprint): string {
  const type = normaliseText(fingerprint.type);
  if (fingerprint.tag === "input") return type || "text";
  if (fingerprint.tag === "textarea" || fingerprint.tag === "select") return fingerprint.tag;
  if (fingerprint.tag === "button") return type || "submit";
  return type;
}

/** Kinds of control a form rarely has more than one of; typed inputs (text, number, date…) are too common. */
const RARE_KINDS: ReadonlySet<string> = new Set(["textarea", "select", "file", "checkbox", "submit"]);

/** The only control of a rare kind in its form (its one textarea, its one checkbox). */
function soleKind(fingerprint: ElementFingerprint): boolean {
  return fingerprint.kindCount === 1 && RARE_KINDS.has(controlType(fingerprint));
}

/** A password field is never healed to a visible-text field, nor the other way round. */
function isSecret(fingerprint: ElementFingerprint): boolean {
  return normaliseText(fingerprint.type) === "password";
}

/** Same index among same-role siblings: 1; same index counted from the end: 0.75; one off: 0.25. */
function positionSimilarity(stored: ElementFingerprint, observed: ElementFingerprint): number {
  if (stored.siblingIndex === observed.siblingIndex) return 1;
  if (stored.siblingCount - stored.siblingIndex === observed.siblingCount - observed.siblingIndex) return 0.75;
  return Math.abs(stored.siblingIndex - observed.siblingIndex) === 1 ? 0.25 : 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
