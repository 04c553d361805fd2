// Resolving a target (issue 12): the cached locator, then the adapter's primary one, each verified
// against the stored fingerprint; else deterministic healing by scoring the page's candidates.
// A heal is returned with its score and reasons; whether it may be used (reversible step,
// approval) is the caller's decision, not this module's.

import type { Locator } from "playwright-core";
import { DEFAULT_SCORE_OPTIONS, describeRecipe, ROLES_BY_KIND, scoreCandidates, type ElementFingerprint, type FeatureReason, type LocatorRecipe, type MissKind, type ScoreOptions, type Target, type ExcludeCandidate } from "@/lib/healing";
import { collectCandidates, locatorFromRecipe, type Candidate, type Scope } from "./fingerprint";
import { verifyTarget } from "./verify-target";

export interface ResolveOptions {
  /** The adapter's own locator for the target: a CSS selector or a recipe, relative to the scope. */
  primary?: string | LocatorRecipe;
  /** A resolution replayed from the cache (tried first). */
  cached?: LocatorRecipe;
  /** Where candidates are looked for (the step's form); the whole page by default. */
  scope?: Locator;
  score?: ScoreOptions;
  /** Candidates that may not be chosen for reasons outside their fingerprint (already another target on the page). */
  exclude?: ExcludeCandidate<Candidate>;
}

/** A locator that was tried, and what became of it. */
export interface ResolveTrial {
  how: "cached" | "primary";
  locator: string;
  result: "hit" | MissKind;
  detail: string;
}

/** A scored candidate as reported (no live locator). */
export interface RankedCandidate {
  recipe: LocatorRecipe | null;
  fingerprint: ElementFingerprint;
  score: number;
  excluded: string | null;
}

export type Resolution =
  | {
      status: "resolved";
      locator: Locator;
      how: "cached" | "primary" | "healed";
      /** 1 for a verified cached or primary locator; the candidate's score for a heal. */
      score: number;
      margin: number | null;
      reasons: FeatureReason[];
      recipe: LocatorRecipe | null;
      fingerprint: ElementFingerprint;
      trials: ResolveTrial[];
    }
  | { status: "miss"; kind: MissKind; detail: string; trials: ResolveTrial[]; ranking: RankedCandidate[] };

/** How many ranked candidates a miss reports (for the review queue and the model tier). */
const REPORTED_RANKING = 5;

export async function resolveTarget(page: Scope, target: Target, stored: ElementFingerprint, options: ResolveOptions = {}): Promise<Resolution> {
  const scope: Scope = options.scope ?? page;
  const trials: ResolveTrial[] = [];
  const tries: Array<{ how: "cached" | "primary"; recipe: LocatorRecipe }> = [];
  if (options.cached) tries.push({ how: "cached", recipe: options.cached });
  if (options.primary !== undefined) tries.push({ how: "primary", recipe: typeof options.primary === "string" ? { strategy: "css", selector: options.primary } : options.primary });

  for (const attempt of tries) {
    const verification = await verifyTarget(locatorFromRecipe(scope, attempt.recipe), stored);
    const description = describeRecipe(attempt.recipe);
    if (verification.status === "hit") {
      trials.push({ how: attempt.how, locator: description, result: "hit", detail: "" });
      return { status: "resolved", locator: verification.locator, how: attempt.how, score: 1, margin: null, reasons: [], recipe: attempt.recipe, fingerprint: verification.fingerprint, trials };
    }
    trials.push({ how: attempt.how, locator: description, result: verification.kind, detail: verification.detail });
    // The right element is there but covered: healing would find the same one. Dismiss, then resolve again.
    if (verification.kind === "blocked_by_overlay") return { status: "miss", kind: "blocked_by_overlay", detail: verification.detail, trials, ranking: [] };
  }

  const roles = target.role ? [target.role] : ROLES_BY_KIND[target.kind];
  const candidates = await collectCandidates(scope, target.kind, { roles });
  const decision = scoreCandidates(stored, candidates, options.score ?? DEFAULT_SCORE_OPTIONS, options.exclude);
  const ranking = decision.ranking.slice(0, REPORTED_RANKING).map(({ candidate, score, excluded }) => ({ recipe: candidate.recipe, fingerprint: candidate.fingerprint, score, excluded }));
  const primaryMiss = trials.at(-1)?.result;
  const fallbackKind: MissKind = primaryMiss && primaryMiss !== "hit" ? primaryMiss : "not_found";

  if (decision.outcome === "ambiguous") {
    return { status: "miss", kind: "ambiguous", detail: `No candidate wins clearly: ${summary(decision.best.candidate)} scores ${decision.best.score}, ${summary(decision.runnerUp.candidate)} ${decision.runnerUp.score} (margin ${decision.margin}).`, trials, ranking };
  }
  if (decision.outcome === "no_match") {
    const best = decision.best;
    const detail = best ? `No candidate is close enough: the best, ${summary(best.candidate)}, scores ${best.score}.` : "The page has no candidate of this kind.";
    return { status: "miss", kind: fallbackKind, detail, trials, ranking };
  }
  const winner = decision.best.candidate;
  if (!winner.locator || !winner.recipe) return { status: "miss", kind: fallbackKind, detail: `The best candidate, ${summary(winner)}, cannot be located on its own.`, trials, ranking };
  const check = await verifyTarget(winner.locator, null);
  if (check.status === "miss") return { status: "miss", kind: check.kind, detail: `The healed candidate ${summary(winner)}: ${check.detail}`, trials, ranking };
  return { status: "resolved", locator: check.locator, how: "healed", score: decision.best.score, margin: decision.margin, reasons: decision.best.reasons, recipe: winner.recipe, fingerprint: winner.fingerprint, trials };
}

function summary(candidate: Candidate): string {
  return `${candidate.fingerprint.role ?? candidate.fingerprint.tag} "${candidate.fingerprint.name}"`;
}
