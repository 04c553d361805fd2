// Fingerprints and candidates from a live page, and locators rebuilt from recipes (issue 12).
// Playwright's own role and accessible name (from `ariaSnapshot()`) win over the page-side
// computation, so a fingerprint agrees with what `getByRole` matches.

import type { Locator, Page } from "playwright-core";
import { ROLES_BY_KIND, type ElementFingerprint, type LocatorRecipe, type TargetKind } from "@/lib/healing";
import { runProbe, type ProbeCandidate } from "./page-probe";

/** At most this many candidates are fingerprinted and scored (and, later, shown to a model). */
export const MAX_CANDIDATES = 50;
const CANDIDATE_MARKER = "data-ns-heal-candidate";

export type Scope = Page | Locator;

/** The fingerprint of the one element `locator` resolves to now (throws when it finds none or several). */
export async function captureFingerprint(locator: Locator): Promise<ElementFingerprint> {
  const fingerprint = await runProbe<ElementFingerprint>(locator, { mode: "fingerprint" });
  return withPlaywrightRoleAndName(locator, fingerprint);
}

/** A candidate element: its fingerprint, and a verified way to find it again (null when none resolves to it alone). */
export interface Candidate {
  key: string;
  fingerprint: ElementFingerprint;
  recipe: LocatorRecipe | null;
  locator: Locator | null;
}

/**
 * The visible interactive elements of a kind (or of the given roles) in `scope`, in page order,
 * at most `MAX_CANDIDATES`. Each gets a locator built by Nightshift — `getByRole(role, { name,
 * exact })` (with `nth` when names repeat), else a CSS selector on a stable attribute — that is
 * checked to resolve to exactly that element.
 */
export async function collectCandidates(scope: Scope, kind: TargetKind, options: { roles?: readonly string[]; limit?: number } = {}): Promise<Candidate[]> {
  const root = rootOf(scope);
  const roles = options.roles ?? ROLES_BY_KIND[kind];
  try {
    const found = await runProbe<ProbeCandidate[]>(root, { mode: "collect", roles, limit: options.limit ?? MAX_CANDIDATES, marker: CANDIDATE_MARKER });
    const candidates: Candidate[] = [];
    for (const probe of found) {
      const marked = root.locator(`[${CANDIDATE_MARKER}="${probe.key}"]`);
      const fingerprint = await withPlaywrightRoleAndName(marked, probe.fingerprint);
      const recipe = await verifiedRecipe(scope, probe, fingerprint);
      candidates.push({ key: probe.key, fingerprint, recipe, locator: recipe ? locatorFromRecipe(scope, recipe) : null });
    }
    return candidates;
  } finally {
    await root.evaluate((el, marker) => el.querySelectorAll(`[${marker}]`).forEach((n) => n.removeAttribute(marker)), CANDIDATE_MARKER).catch(() => {});
  }
}

/** The Playwright locator a recipe describes, relative to `scope`. */
export function locatorFromRecipe(scope: Scope, recipe: LocatorRecipe): Locator {
  if (recipe.strategy === "css") return scope.locator(recipe.selector);
  const byRole = scope.getByRole(recipe.role as Parameters<Page["getByRole"]>[0], { name: recipe.name, exact: true });
  return recipe.nth === null ? byRole : byRole.nth(recipe.nth);
}

async function verifiedRecipe(scope: Scope, probe: ProbeCandidate, fingerprint: ElementFingerprint): Promise<LocatorRecipe | null> {
  const recipes: LocatorRecipe[] = [];
  if (fingerprint.role && fingerprint.name) {
    recipes.push({ strategy: "role", role: fingerprint.role, name: fingerprint.name, nth: null });
    recipes.push({ strategy: "role", role: fingerprint.role, name: fingerprint.name, nth: probe.roleNth });
  }
  for (const selector of probe.css) recipes.push({ strategy: "css", selector });
  for (const recipe of recipes) {
    if (await resolvesToOnly(locatorFromRecipe(scope, recipe), probe.key)) return recipe;
  }
  return null;
}

async function resolvesToOnly(locator: Locator, key: string): Promise<boolean> {
  return locator
    .evaluateAll((elements, [marker, value]) => elements.length === 1 && elements[0]!.getAttribute(marker!) === value, [CANDIDATE_MARKER, key])
    .catch(() => false);
}

function rootOf(scope: Scope): Locator {
  return "goto" in scope ? scope.locator(":root") : scope;
}

/** `- textbox "VIN": value` or `- 'button "Save: draft"'` → role and name. */
const SNAPSHOT_LINE = /^- '?([a-z]+)(?: ("(?:[^"\\]|\\.)*"))?/;

export async function withPlaywrightRoleAndName(locator: Locator, fingerprint: ElementFingerprint): Promise<ElementFingerprint> {
  const snapshot = await locator.ariaSnapshot({ timeout: 2_000 }).catch(() => "");
  const match = SNAPSHOT_LINE.exec(snapshot.split("\n")[0] ?? "");
  if (!match || !fingerprint.role || match[1] !== fingerprint.role) return fingerprint;
  let name = fingerprint.name;
  try {
    name = match[2] ? (JSON.parse(match[2]) as string) : "";
  } catch {
    // Keep the page-side name when the snapshot's quoting is not JSON.
  }
  return { ...fingerprint, name };
}
