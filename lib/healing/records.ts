// What replay and healing store (issue 12): the shapes of the rows in `healing_baselines`,
// `resolved_actions`, `heals`, `heal_runs` and `llm_calls`, and of an attempt's healing report.
// Shared by the worker (which writes them), the review queue and API (which read and decide them).
//
// Glossary:
// - Baseline ("last good"): a target's fingerprint and its step's accessibility snapshot, recorded
//   after the step last succeeded on that portal.
// - Resolved action: a reviewed way to find a target on a given page state, replayed first.
// - Heal: one attempt's set of changes (targets found another way, overlays dismissed), proposed
//   by a rule or a model, approved or rejected by a person. Approval makes its changes resolved
//   actions; it is versioned per portal and revertible.

import type { ElementFingerprint, LocatorRecipe, MissKind } from "./types";
import type { FeatureReason } from "./score-candidates";

export const HEAL_STATUSES = ["proposed", "approved", "rejected", "reverted"] as const;
export type HealStatus = (typeof HEAL_STATUSES)[number];

/** Who proposed a change: the deterministic scorer, or the model tier (chose among numbered candidates). */
export const HEAL_PROPOSERS = ["rule", "model"] as const;
export type HealProposer = (typeof HEAL_PROPOSERS)[number];

/** How a run used a heal: filled with it provisionally, held before submit waiting for it, filed with it. */
export const HEAL_USES = ["provisional", "awaiting_approval", "filed", "parked"] as const;
export type HealUse = (typeof HEAL_USES)[number];

/** One target found another way than its primary locator (or its cached resolution). */
export interface HealTargetChange {
  kind: "target";
  targetId: string;
  intent: string;
  step: string;
  /** False for the final submit: an unapproved change here always holds the run. */
  reversible: boolean;
  /** False: the element carries no case data into the filing, so its heal did not hold the final submit. */
  carriesCaseData?: boolean;
  /** Why the primary (or cached) locator was not used. */
  missKind: MissKind;
  /** What the primary or cached locator did, in words ("css #vin → 0 visible"). */
  missDetail: string;
  /** The page state it was healed on (resolved actions are keyed by it). */
  pageFingerprint: string;
  recipe: LocatorRecipe;
  /** The last good fingerprint, and the element chosen now. */
  before: ElementFingerprint | null;
  after: ElementFingerprint;
  proposedBy: HealProposer;
  score: number | null;
  margin: number | null;
  reasons: FeatureReason[];
  /** Re-checks of the built locator: one visible element, role fits, not covered, not destructive. */
  validation: Array<{ check: string; ok: boolean; detail?: string }>;
  /** The model tier only. */
  model?: { provider: string; model: string; costUsd: number | null; callId: string | null };
}

/** An unknown overlay dismissed generically (a non-destructive button, or Escape). */
export interface HealOverlayChange {
  kind: "overlay";
  step: string;
  /** Role, name and text of the overlay: the key an approved dismiss action is stored under. */
  overlayKey: string;
  overlay: { role: string | null; name: string; text: string };
  action: { type: "click"; buttonName: string } | { type: "escape" };
  refused: string[];
  navigated: boolean;
}

export type HealChange = HealTargetChange | HealOverlayChange;

/** Step scope accessibility snapshots of a heal: the last good one and what the page showed now. */
export interface HealSnapshot {
  step: string;
  before: string | null;
  after: string;
}

/** What an attempt did about targets, for the attempt row, the soak report and the failure card. */
export interface HealingReport {
  /** Targets found by their primary locator (verified). */
  primaryHits: number;
  /** Targets found by a replayed resolved action. */
  cacheHits: number;
  /** Targets healed in this attempt (rule or model), used provisionally. */
  healed: number;
  /** Of those, healed by the model tier. */
  healedByModel: number;
  /** Targets no tier could resolve. */
  misses: number;
  overlaysDismissed: number;
  llmCalls: number;
  /** Set when the attempt stopped before the final submit for an approval. */
  heldForApproval: boolean;
  healId: string | null;
}

export const EMPTY_HEALING_REPORT: HealingReport = {
  primaryHits: 0,
  cacheHits: 0,
  healed: 0,
  healedByModel: 0,
  misses: 0,
  overlaysDismissed: 0,
  llmCalls: 0,
  heldForApproval: false,
  healId: null,
};

/**
 * A site_changed run's diff against the last good run, kept on its failure (runs.failure.siteChange)
 * for the failure card: which target missed and why, the ranking the scorer saw, and the step
 * scope's accessibility snapshot then and now.
 */
export interface SiteChangeDiff {
  targetId: string;
  intent: string;
  step: string;
  missKind: MissKind;
  detail: string;
  ariaBefore: string | null;
  ariaAfter: string | null;
  lastGoodRunId: string | null;
  /** The best candidates the scorer saw (at most 5). */
  ranking: Array<{ name: string; role: string | null; score: number; excluded: string | null }>;
}

/**
 * What became of one model call of `llm_calls`. A request was made for: `requested` (sent, no answer
 * recorded yet: a worker that died mid-request leaves it, and it still counts against the budgets),
 * `chose` (a number that was offered; the session then validates it), `declined`, `invalid` (the
 * session's validation refused the chosen element), `malformed` (not the requested JSON, or a
 * number that was not offered), `error`, `timeout`, `rate_limited`. No request was made for:
 * `memoised` (the earlier validated answer to the same question) and `skipped` (off, over a budget,
 * breaker open, nothing to offer: `response.reason` says which).
 */
export const LLM_CALL_OUTCOMES = ["chose", "declined", "invalid", "error", "timeout", "rate_limited", "memoised", "skipped", "requested", "malformed"] as const;
export type LlmCallOutcome = (typeof LLM_CALL_OUTCOMES)[number];

export const LLM_PURPOSES = ["heal", "steer"] as const;
export type LlmPurpose = (typeof LLM_PURPOSES)[number];
