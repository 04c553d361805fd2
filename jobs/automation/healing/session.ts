// One attempt's replay and healing (issue 12). Every element an adapter needs is resolved here:
// the reviewed resolution for this page state (the cache), then the adapter's primary locator, each
// verified against what the element looked like last time; else the page's candidates are scored
// (rule), else the model tier chooses among them (when configured); else the portal changed.
// Heals are used provisionally for reversible steps; `gate()` holds the final submit until a
// person approves them. Nothing here decides an outcome: the runner records what the session saw.

import type { Locator, Page } from "playwright-core";
import {
  describeRecipe,
  fingerprintMatches,
  EMPTY_HEALING_REPORT,
  isDestructiveName,
  ROLES_BY_KIND,
  scoreFingerprint,
  type ElementFingerprint,
  type HealChange,
  type HealingReport,
  type HealOverlayChange,
  type HealSnapshot,
  type HealTargetChange,
  type LocatorRecipe,
  type MissKind,
  type SiteChangeDiff,
  type Target as HealingTarget,
} from "@/lib/healing";
import { pageFingerprint, stripValues } from "@/lib/healing/page-state";
import { proposeHeal, recordCacheHits, recordHealUse, saveBaselines, type Baseline, type PortalReplayState } from "@/lib/healing/store";
import type { Db } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import { AwaitingApprovalError, TargetMissError } from "@/lib/runs/errors";
import { collectCandidates, captureFingerprint, locatorFromRecipe, MAX_CANDIDATES } from "./fingerprint";
import { dismissBlockingOverlay } from "./dismiss-overlay";
import { resolveTarget, type RankedCandidate } from "./resolve-target";
import { verifyTarget } from "./verify-target";

/** A target an adapter declares: the healing vocabulary's target plus its primary locator. */
export interface ActionTarget extends HealingTarget {
  /** Short, for messages ("VIN"). */
  name: string;
  /** The adapter's own CSS selector for it (relative to the page). */
  primary: string;
}

/** The model tier as the session uses it (lib/healing/model-tier.ts implements it). */
export interface ModelTierPort {
  readonly enabled: boolean;
  choose(input: {
    oemId: string;
    runId: string;
    step: string;
    target: HealingTarget;
    missKind: MissKind;
    before: ElementFingerprint | null;
    ariaDiff: string;
    candidates: Array<{ number: number; fingerprint: ElementFingerprint; hasRecipe: boolean; excluded: string | null; score: number }>;
  }): Promise<
    | { kind: "chose"; number: number; reason: string; callId: string; provider: string; model: string; costUsd: number | null; requested: boolean }
    | { kind: "declined"; reason: string; callId: string | null; requested: boolean }
    | { kind: "unavailable"; reason: string; detail: string; callId: string | null; requested: boolean }
  >;
  recordValidation(callId: string, ok: boolean, detail: string): Promise<void>;
}

export interface HealingSessionDeps {
  db: Db;
  log: Logger;
  oemId: string;
  adapterVersion: string;
  /** Null outside a run (the adapters' own tests): nothing is recorded against a run then. */
  runId: string | null;
  attemptId: string | null;
  state: PortalReplayState;
  modelTier?: ModelTierPort;
  /** Stores the held page's screenshot as evidence of the attempt; returns its artifact key. */
  saveScreenshot: (name: string, png: Buffer) => Promise<string | null>;
  /** Dry runs propose heals but never hold: they stop before the final click anyway. */
  dryRun: boolean;
  /**
   * `false`: the adapter's primary locators as they are — nothing verified, healed or recorded
   * (overlays are still dismissed). The replay bench's baseline. Default true.
   */
  replay?: boolean;
}

/** How long the first target of a page may take to appear before healing looks for it elsewhere. */
const FIRST_TARGET_WAIT_MS = 1_500;
/** Later targets of the same page are there or not: the page has settled. */
const LATER_TARGET_WAIT_MS = 250;
/** A target still missing after healing is waited for this long in all before the portal counts as changed. */
const REQUIRED_TIMEOUT_MS = 5_000;
const MAX_OVERLAY_ROUNDS = 4;
/** A dialog at the top of a snapshot: with aria-modal, the page behind it is left out. */
const MODAL_LINE = /^- (dialog|alertdialog)\b/m;

/** A step's accessibility snapshot, taken once per page view (it changes only when the page does). */
interface PageView {
  seq: number;
  aria: string | null;
  fingerprint: string | null;
}

export class HealingSession {
  step = "start";
  readonly report: HealingReport = { ...EMPTY_HEALING_REPORT };
  /** The last miss, for a site_changed failure's diff. */
  siteChange: SiteChangeDiff | null = null;
  /** Called before healing on a page: throws for error, maintenance and unexpected sign-in pages (never healed). */
  guard: ((page: Page, target: ActionTarget) => Promise<void>) | null = null;

  private readonly changes: HealTargetChange[] = [];
  private readonly overlays: HealOverlayChange[] = [];
  private readonly snapshots = new Map<string, HealSnapshot>();
  private readonly baselinesToSave = new Map<string, Baseline>();
  private readonly cacheHits: Array<{ targetId: string; pageFingerprint: string }> = [];
  private readonly approvedHealIds = new Set<string>();
  /** Healed elements with the page view they were found on (only the current view's can be outlined). */
  private readonly healedLocators: Array<{ seq: number; locator: Locator }> = [];
  private navigations = 0;
  /** Elements already resolved as some target on the current page view: never healed into another target. */
  private claims: { seq: number; elements: Array<{ targetId: string; name: string; fingerprint: ElementFingerprint }> } = { seq: -1, elements: [] };
  private view: PageView = { seq: -1, aria: null, fingerprint: null };
  private waitedOn = -1;
  private costUsd = 0;
  private usedModel = false;

  constructor(
    readonly page: Page,
    private readonly deps: HealingSessionDeps,
  ) {
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.navigations += 1;
    });
  }

  /** Heals used in this attempt that nobody has approved (the final submit waits for them). */
  get unapproved(): number {
    return this.changes.length;
  }

  /**
   * Finds the element for `target` and returns a locator for exactly it. Throws `TargetMissError`
   * (site_changed, with the diff) when no tier finds it.
   */
  async resolve(target: ActionTarget): Promise<Locator> {
    const { page } = this;
    const baseline = this.deps.state.baselines.get(target.id) ?? null;
    const cached = this.deps.state.cache.get(target.id) ?? [];
    const primary = page.locator(target.primary);
    if (this.deps.replay === false) return primary;

    // 0. The common case, in one round trip: no reviewed resolution, and the adapter's locator
    //    finds the element it found last time.
    if (baseline && cached.length === 0) {
      const quick = await verifyTarget(primary, baseline.fingerprint);
      if (quick.status === "hit") {
        this.waitedOn = this.navigations;
        this.report.primaryHits += 1;
        await this.noteGood(target, quick.fingerprint, baseline, quick.locator);
        return quick.locator;
      }
    }
    const firstOnPage = this.waitedOn !== this.navigations;

    // 1. Wait (briefly) for the primary or a cached resolution to show.
    let appear = primary;
    for (const entry of cached) appear = appear.or(locatorFromRecipe(page, entry.recipe));
    const shown = await appear
      .first()
      .waitFor({ state: "visible", timeout: firstOnPage ? FIRST_TARGET_WAIT_MS : LATER_TARGET_WAIT_MS })
      .then(() => true)
      .catch(() => false);
    this.waitedOn = this.navigations;

    // 2. A reviewed resolution for this page state, verified against the element it was approved for.
    if (cached.length > 0) {
      const fingerprint = await this.pageFingerprint();
      const entry = cached.find((c) => c.pageFingerprint === fingerprint);
      if (entry) {
        const check = await verifyTarget(locatorFromRecipe(page, entry.recipe), entry.fingerprint);
        if (check.status === "hit") {
          this.report.cacheHits += 1;
          this.cacheHits.push({ targetId: target.id, pageFingerprint: entry.pageFingerprint });
          if (entry.healId) this.approvedHealIds.add(entry.healId);
          await this.noteGood(target, check.fingerprint, baseline, check.locator);
          return check.locator;
        }
        this.deps.log.warn({ target: target.id, recipe: describeRecipe(entry.recipe), miss: check.kind }, "a reviewed resolution no longer fits the page; healing again");
      }
    }

    // 3. The adapter's primary locator; without a last good fingerprint it is all there is.
    if (!baseline) {
      const check = await verifyTarget(primary, null);
      if (check.status === "hit") {
        this.report.primaryHits += 1;
        await this.noteGood(target, check.fingerprint, null, check.locator);
        return check.locator;
      }
      if (check.kind === "blocked_by_overlay" && (await this.clearOverlays())) return this.resolve(target);
      if (!shown) {
        const late = await primary.first().waitFor({ state: "visible", timeout: REQUIRED_TIMEOUT_MS }).then(() => true).catch(() => false);
        if (late) return this.resolve(target);
      }
      return this.fail(target, check.kind, `${check.detail} No last good state of this element is recorded on this portal yet, so it cannot be healed.`, [], null);
    }

    if (shown) {
      const check = await verifyTarget(primary, baseline.fingerprint);
      if (check.status === "hit") {
        this.report.primaryHits += 1;
        await this.noteGood(target, check.fingerprint, baseline, check.locator);
        return check.locator;
      }
      // A state this element was filed with before (the portal went back): no change to approve.
      const earlier = check.kind === "fingerprint_mismatch" && check.observed ? (baseline.previous ?? []).find((fp) => fingerprintMatches(fp, check.observed!).matches) : undefined;
      if (earlier) {
        const again = await verifyTarget(primary, earlier);
        if (again.status === "hit") {
          this.report.primaryHits += 1;
          await this.noteGood(target, again.fingerprint, baseline, again.locator);
          return again.locator;
        }
      }
      if (check.kind === "blocked_by_overlay" && (await this.clearOverlays())) return this.resolve(target);
    }

    // 4. Healing: never on an error, maintenance or unexpected sign-in page.
    await this.guard?.(page, target);
    let resolution = await resolveTarget(page, target, baseline.fingerprint, { primary: target.primary, exclude: this.claimedBy(target) });
    if (resolution.status === "miss" && resolution.kind === "blocked_by_overlay" && (await this.clearOverlays())) {
      resolution = await resolveTarget(page, target, baseline.fingerprint, { primary: target.primary, exclude: this.claimedBy(target) });
    }
    if (resolution.status === "miss" && resolution.kind === "not_found" && resolution.ranking.length === 0 && !shown) {
      // Nothing of the kind on the page yet: a slow page, not a redesign. Wait it out once.
      const late = await primary.first().waitFor({ state: "visible", timeout: REQUIRED_TIMEOUT_MS }).then(() => true).catch(() => false);
      if (late) return this.resolve(target);
    }
    if (resolution.status === "resolved") {
      if (resolution.how === "primary" || resolution.how === "cached") {
        this.report.primaryHits += 1;
        await this.noteGood(target, resolution.fingerprint, baseline, resolution.locator);
        return resolution.locator;
      }
      // The adapter's own locator and the last good fingerprint agree on the same (changed)
      // element, e.g. a portal back on its previous markup: two independent signals, no heal —
      // except for an irreversible step, whose changed control a person sees before it is pressed.
      const own = target.reversible ? await verifyTarget(primary, null) : null;
      if (own?.status === "hit" && sameElement(own.fingerprint, resolution.fingerprint)) {
        this.report.primaryHits += 1;
        this.deps.log.info({ target: target.id }, "the adapter's locator and the last good state agree on a changed element; its new state becomes the last good one");
        await this.noteGood(target, resolution.fingerprint, baseline, resolution.locator);
        return resolution.locator;
      }
      const trial = resolution.trials.at(-1);
      await this.recordHeal(target, baseline, {
        locator: resolution.locator,
        recipe: resolution.recipe!,
        after: resolution.fingerprint,
        missKind: trial && trial.result !== "hit" ? trial.result : "not_found",
        missDetail: trial ? `${trial.locator}: ${trial.detail || trial.result}` : "",
        proposedBy: "rule",
        score: resolution.score,
        margin: resolution.margin,
        reasons: resolution.reasons,
      });
      return resolution.locator;
    }

    // 5. The model tier, when configured, chooses among the numbered candidates (never writes a locator).
    const modelHeal = await this.askModel(target, baseline, resolution.kind);
    if (modelHeal) return modelHeal;
    return this.fail(target, resolution.kind, resolution.detail, resolution.ranking, baseline);
  }

  /** The action on `target` ran but the page did not take it (`postcondition_failed`): the run ends site_changed with the diff. */
  async postconditionFailed(target: ActionTarget, detail: string): Promise<never> {
    return this.fail(target, "postcondition_failed", detail, [], this.deps.state.baselines.get(target.id) ?? null);
  }

  /**
   * Dismisses whatever overlay blocks the page — an approved dismiss action, else a non-destructive
   * close/acknowledge button, else Escape — until none is left. Returns the overlays dismissed and
   * whether a dismissal navigated (the page must then be filled again). Throws nothing: a page
   * still blocked is reported with `blocked: true`.
   */
  async dismissOverlays(): Promise<{ dismissed: string[]; navigated: boolean; blocked: string | null }> {
    const dismissed: string[] = [];
    let navigated = false;
    for (let round = 0; round < MAX_OVERLAY_ROUNDS; round++) {
      const outcome = await dismissBlockingOverlay(this.page, {
        approved: (overlay) => {
          const entry = this.deps.state.overlays?.get(overlayKeyOf(overlay));
          if (entry?.healId) this.approvedHealIds.add(entry.healId);
          return entry?.action ?? null;
        },
      });
      if (outcome.action === "none") return { dismissed, navigated, blocked: null };
      const label = outcome.overlay.name || outcome.overlay.text.slice(0, 60) || outcome.overlay.role || "overlay";
      if (outcome.action === "still_blocked") return { dismissed, navigated, blocked: label };
      this.report.overlaysDismissed += 1;
      // The page behind a modal is hidden from the accessibility tree: read it again.
      this.view = { seq: -1, aria: null, fingerprint: null };
      dismissed.push(label);
      const overlayKey = overlayKeyOf(outcome.overlay);
      const change: HealOverlayChange = {
        kind: "overlay",
        step: this.step,
        overlayKey,
        overlay: { role: outcome.overlay.role, name: outcome.overlay.name, text: outcome.overlay.text.slice(0, 400) },
        action: outcome.action === "clicked" ? { type: "click", buttonName: outcome.button } : { type: "escape" },
        refused: outcome.refused,
        navigated: outcome.action === "clicked" && outcome.navigated,
      };
      // An overlay dismissed the approved way needs no new proposal.
      const approvedAlready = this.deps.state.overlays?.has(overlayKey) ?? false;
      if (!approvedAlready && !this.overlays.some((o) => o.overlayKey === overlayKey)) this.overlays.push(change);
      this.deps.log.info({ overlay: label, action: change.action, refused: change.refused }, "dismissed an overlay");
      if (change.navigated) navigated = true;
    }
    return { dismissed, navigated, blocked: "an overlay that keeps coming back" };
  }

  /**
   * Right before the final submit: with any unapproved heal, the filled page is screenshotted with
   * the healed targets outlined, the heal is filed for review, and the run is held
   * (`AwaitingApprovalError`). A dry run files the heal and goes on to its own stop.
   */
  async gate(): Promise<void> {
    if (this.changes.length === 0) return;
    // Only heals of elements that carry the case's data into the filing hold it; the others (the
    // sign-in form) are filed for review and used as they are.
    const holding = this.changes.filter((c) => c.carriesCaseData !== false);
    const screenshotKey = await this.outlinedScreenshot().catch((error: unknown) => {
      this.deps.log.warn({ err: error }, "the held page could not be screenshotted");
      return null;
    });
    const changes: HealChange[] = [...this.changes, ...this.overlays];
    const healId = await proposeHeal(this.deps.db, {
      oemId: this.deps.oemId,
      adapterVersion: this.deps.adapterVersion,
      runId: this.deps.runId,
      attemptId: this.deps.attemptId,
      changes,
      snapshots: [...this.snapshots.values()],
      proposedBy: this.usedModel ? "model" : "rule",
      costUsd: this.usedModel ? this.costUsd : null,
      screenshotKey,
      use: this.deps.dryRun || holding.length === 0 ? "provisional" : "awaiting_approval",
    });
    this.report.healId = healId;
    if (this.deps.dryRun || holding.length === 0) {
      this.deps.log.warn({ healId, targets: this.changes.map((c) => c.targetId) }, "portal changes found and filed for review; none of them holds this filing");
      return;
    }
    this.deps.log.warn({ healId, targets: holding.map((c) => c.targetId) }, "held before the final submit: portal changes wait for approval");
    this.report.heldForApproval = true;
    throw new AwaitingApprovalError(healId);
  }

  /** After the attempt: last-good fingerprints (only from filed attempts), cache hits, where approved heals were used. */
  async finish(outcome: "submitted" | "failed" | "held" | "rehearsed"): Promise<void> {
    const { db, oemId, adapterVersion, runId, attemptId } = this.deps;
    if (outcome === "submitted" || outcome === "rehearsed") {
      await saveBaselines(db, { oemId, adapterVersion, runId, baselines: [...this.baselinesToSave.values()] });
    }
    await recordCacheHits(db, { oemId, adapterVersion, hits: this.cacheHits });
    if (outcome === "submitted" && runId && attemptId) await recordHealUse(db, { healIds: [...this.approvedHealIds], runId, attemptId, use: "filed" });
    // Overlays dismissed generically (no target heal held the run): filed for review, never holding.
    if (outcome === "submitted" && this.changes.length === 0 && this.overlays.length > 0) {
      await proposeHeal(db, { oemId, adapterVersion, runId, attemptId, changes: [...this.overlays], snapshots: [], proposedBy: "rule", costUsd: null, screenshotKey: null, use: "filed" });
    }
  }

  // -------------------------------------------------------------------------------------------

  private async clearOverlays(): Promise<boolean> {
    const { dismissed, blocked } = await this.dismissOverlays();
    return dismissed.length > 0 && blocked === null;
  }

  /** The current page view's stripped snapshot and fingerprint (one `ariaSnapshot` per page view). */
  private async currentView(): Promise<PageView> {
    if (this.view.seq !== this.navigations || this.view.aria === null) {
      const aria = await this.page
        .locator("body")
        .ariaSnapshot({ timeout: 5_000 })
        .then(stripValues)
        .catch(() => null);
      this.view = { seq: this.navigations, aria, fingerprint: aria === null ? null : pageFingerprint(aria) };
    }
    return this.view;
  }

  private async pageFingerprint(): Promise<string> {
    const view = await this.currentView();
    // A modal dialog hides the page from the accessibility tree: the page's own state is behind it.
    if (view.aria !== null && MODAL_LINE.test(view.aria) && (await this.clearOverlays())) return (await this.currentView()).fingerprint ?? "unknown";
    return view.fingerprint ?? "unknown";
  }

  private claim(target: ActionTarget, fingerprint: ElementFingerprint): void {
    if (this.claims.seq !== this.navigations) this.claims = { seq: this.navigations, elements: [] };
    this.claims.elements = this.claims.elements.filter((c) => c.targetId !== target.id);
    this.claims.elements.push({ targetId: target.id, name: target.name, fingerprint });
  }

  /** Excludes a candidate that already is another target on this page (one element is one target). */
  private claimedBy(target: ActionTarget): (candidate: { fingerprint: ElementFingerprint }) => string | null {
    const claims = this.claims.seq === this.navigations ? this.claims.elements.filter((c) => c.targetId !== target.id) : [];
    return (candidate) => {
      const owner = claims.find((c) => sameElement(c.fingerprint, candidate.fingerprint));
      return owner ? `already the ${owner.name} on this page` : null;
    };
  }

  /**
   * Claims the element for the target on this page and, when it differs from the last good state
   * (or there is none), queues its full fingerprint to be saved if the attempt succeeds. Replay's
   * check reads a light fingerprint (identity only); the full one is read only when saved.
   */
  private async noteGood(target: ActionTarget, observed: ElementFingerprint, baseline: { fingerprint: ElementFingerprint; scopeAria: string | null } | null, locator?: Locator): Promise<void> {
    this.claim(target, observed);
    if (baseline && sameElement(baseline.fingerprint, observed) && baseline.scopeAria !== null) return;
    const pending = this.baselinesToSave.get(target.id);
    if (pending) return;
    const fingerprint = isLight(observed) && locator ? await captureFingerprint(locator).catch(() => observed) : observed;
    // The step's snapshot is added lazily (one per page view) when the step succeeds.
    const entry: Baseline = { targetId: target.id, step: this.step, fingerprint, pageFingerprint: this.view.seq === this.navigations ? (this.view.fingerprint ?? "unknown") : "unknown", scopeAria: null, runId: this.deps.runId };
    this.baselinesToSave.set(target.id, entry);
    void this.currentView().then((view) => {
      entry.scopeAria = view.aria;
      entry.pageFingerprint = view.fingerprint ?? entry.pageFingerprint;
    });
  }

  private async recordHeal(
    target: ActionTarget,
    baseline: Baseline,
    heal: { locator: Locator; recipe: LocatorRecipe; after: ElementFingerprint; missKind: MissKind; missDetail: string; proposedBy: "rule" | "model"; score: number | null; margin: number | null; reasons: HealTargetChange["reasons"]; model?: HealTargetChange["model"] },
  ): Promise<void> {
    this.claim(target, heal.after);
    const view = await this.currentView();
    const validation: HealTargetChange["validation"] = [
      { check: "one visible element", ok: true },
      { check: `role fits a ${target.kind}`, ok: heal.after.role !== null && (target.role ? [target.role] : ROLES_BY_KIND[target.kind]).includes(heal.after.role), detail: heal.after.role ?? "no role" },
      { check: "not covered by an overlay", ok: true },
      { check: "not a destructive control", ok: !isDestructiveName(heal.after.name), detail: heal.after.name },
    ];
    this.changes.push({
      kind: "target",
      targetId: target.id,
      intent: target.intent,
      step: this.step,
      reversible: target.reversible,
      ...(target.carriesCaseData === false ? { carriesCaseData: false } : {}),
      missKind: heal.missKind,
      missDetail: heal.missDetail,
      pageFingerprint: view.fingerprint ?? "unknown",
      recipe: heal.recipe,
      before: baseline.fingerprint,
      after: heal.after,
      proposedBy: heal.proposedBy,
      score: heal.score,
      margin: heal.margin,
      reasons: heal.reasons,
      validation,
      ...(heal.model ? { model: heal.model } : {}),
    });
    if (!this.snapshots.has(this.step) && view.aria) this.snapshots.set(this.step, { step: this.step, before: baseline.scopeAria, after: view.aria });
    this.healedLocators.push({ seq: this.navigations, locator: heal.locator });
    this.report.healed += 1;
    if (heal.proposedBy === "model") this.report.healedByModel += 1;
    this.deps.log.warn({ target: target.id, recipe: describeRecipe(heal.recipe), by: heal.proposedBy, score: heal.score, miss: heal.missKind }, `healed ${target.name}: ${describeRecipe(heal.recipe)} (provisional until approved)`);
  }

  private async askModel(target: ActionTarget, baseline: Baseline, missKind: MissKind): Promise<Locator | null> {
    const tier = this.deps.modelTier;
    if (!tier?.enabled || missKind === "blocked_by_overlay") return null;
    const { page } = this;
    const roles = target.role ? [target.role] : ROLES_BY_KIND[target.kind];
    const candidates = (await collectCandidates(page, target.kind, { roles, limit: MAX_CANDIDATES })).slice(0, MAX_CANDIDATES);
    if (candidates.length === 0) return null;
    const view = await this.currentView();
    const claimed = this.claimedBy(target);
    const numbered = candidates.map((c, index) => {
      const scored = scoreFingerprint(baseline.fingerprint, c.fingerprint);
      return { number: index + 1, fingerprint: c.fingerprint, hasRecipe: c.recipe !== null, excluded: scored.excluded ?? claimed(c), score: scored.score };
    });
    const answer = await tier.choose({
      oemId: this.deps.oemId,
      runId: this.deps.runId ?? "",
      step: this.step,
      target: { id: target.id, intent: target.intent, kind: target.kind, reversible: target.reversible, ...(target.role ? { role: target.role } : {}) },
      missKind,
      before: baseline.fingerprint,
      ariaDiff: ariaDiff(baseline.scopeAria, view.aria),
      candidates: numbered,
    });
    // Memoised answers and calls refused by a budget or the breaker made no request.
    if (answer.requested) this.report.llmCalls += 1;
    if (answer.kind !== "chose") {
      this.deps.log.info({ target: target.id, answer: answer.kind, reason: answer.reason }, "the model tier did not heal the target");
      return null;
    }
    const chosen = candidates[answer.number - 1];
    const problem = !chosen ? "no such candidate" : !chosen.recipe || !chosen.locator ? "the candidate cannot be located on its own" : numbered[answer.number - 1]!.excluded;
    if (problem || !chosen?.locator || !chosen.recipe) {
      await tier.recordValidation(answer.callId, false, problem ?? "invalid");
      return null;
    }
    const check = await verifyTarget(chosen.locator, null);
    if (check.status === "miss" || isDestructiveName(chosen.fingerprint.name)) {
      await tier.recordValidation(answer.callId, false, check.status === "miss" ? check.detail : "a destructive control");
      return null;
    }
    await tier.recordValidation(answer.callId, true, "one visible element, role fits, not covered");
    this.usedModel = true;
    this.costUsd += answer.costUsd ?? 0;
    await this.recordHeal(target, baseline, {
      locator: check.locator,
      recipe: chosen.recipe,
      after: chosen.fingerprint,
      missKind,
      missDetail: answer.reason,
      proposedBy: "model",
      score: numbered[answer.number - 1]!.score,
      margin: null,
      reasons: [],
      model: { provider: answer.provider, model: answer.model, costUsd: answer.costUsd, callId: answer.callId },
    });
    return check.locator;
  }

  private async fail(target: ActionTarget, kind: MissKind, detail: string, ranking: RankedCandidate[], baseline: Baseline | null): Promise<never> {
    this.report.misses += 1;
    const view = await this.currentView();
    this.siteChange = {
      targetId: target.id,
      intent: target.intent,
      step: this.step,
      missKind: kind,
      detail,
      ariaBefore: baseline?.scopeAria ?? null,
      ariaAfter: view.aria,
      lastGoodRunId: baseline?.runId ?? null,
      ranking: ranking.map((r) => ({ name: r.fingerprint.name, role: r.fingerprint.role, score: r.score, excluded: r.excluded })),
    };
    throw new TargetMissError(target.id, `The portal changed: ${target.name} (${target.id}) — ${detail}`, this.siteChange);
  }

  private async outlinedScreenshot(): Promise<string | null> {
    const outlined: Locator[] = [];
    // Earlier pages' elements are gone: waiting for them would stall the held attempt.
    for (const { locator } of this.healedLocators.filter((h) => h.seq === this.navigations)) {
      const marked = await locator
        .evaluate((el) => {
          const node = el as HTMLElement;
          node.dataset.nsHealOutline = node.style.outline;
          node.style.outline = "3px solid #f59e0b";
          node.style.outlineOffset = "2px";
          return true;
        }, undefined, { timeout: 1_000 })
        .catch(() => false);
      if (marked) outlined.push(locator);
    }
    try {
      const png = await this.page.screenshot({ fullPage: true, mask: [this.page.locator('input[type="password"]')], timeout: 10_000, animations: "disabled" });
      return await this.deps.saveScreenshot("awaiting-approval", png);
    } finally {
      for (const locator of outlined) {
        await locator
          .evaluate((el) => {
            const node = el as HTMLElement;
            node.style.outline = node.dataset.nsHealOutline ?? "";
            delete node.dataset.nsHealOutline;
          })
          .catch(() => {});
      }
    }
  }
}

/** The key an overlay's approved dismiss action is stored under: its role, name and first words. */
export function overlayKeyOf(overlay: { role: string | null; name: string; text: string }): string {
  return `${overlay.role ?? "overlay"}|${overlay.name}|${overlay.text.slice(0, 120)}`;
}

/** A fingerprint from replay's check: identity only, no place in the form (`siblingCount` 0). */
function isLight(fingerprint: ElementFingerprint): boolean {
  return fingerprint.siblingCount === 0;
}

/**
 * The same element as recorded (what replay compares; sibling counts and nearby text may move
 * freely; the place among siblings counts when both fingerprints have it).
 */
function sameElement(a: ElementFingerprint, b: ElementFingerprint): boolean {
  const samePlace = isLight(a) || isLight(b) || a.siblingIndex === b.siblingIndex;
  return a.role === b.role && a.name === b.name && a.label === b.label && a.id === b.id && a.nameAttribute === b.nameAttribute && a.testId === b.testId && a.tag === b.tag && samePlace;
}

/** A line diff of two snapshots for the model (removed lines `-`, added `+`), at most ~120 lines. */
export function ariaDiff(before: string | null, after: string | null): string {
  const a = (before ?? "").split("\n");
  const b = (after ?? "").split("\n");
  const inB = new Set(b);
  const inA = new Set(a);
  const lines = [...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`)];
  return lines.slice(0, 120).join("\n");
}
