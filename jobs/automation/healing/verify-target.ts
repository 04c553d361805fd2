// Replay's check before it acts: the locator must find exactly one visible element, that element
// must still be the recorded control (role and name), and a click at its centre must reach it
// rather than a dialog or overlay on top of it.

import type { Locator } from "playwright-core";
import { fingerprintMatches, type ElementFingerprint, type MissKind } from "@/lib/healing";
import { withPlaywrightRoleAndName } from "./fingerprint";
import { isNavigationRace, runProbe, runVerifyProbe, type ProbeCover, type ProbeVerify } from "./page-probe";

export type Verification =
  | { status: "hit"; locator: Locator; fingerprint: ElementFingerprint }
  | { status: "miss"; kind: MissKind; detail: string; observed: ElementFingerprint | null };

/**
 * Checks `locator` against the stored fingerprint; `stored: null` checks only "one visible element,
 * not covered". One round trip when the page-side role and name already fit; Playwright's own
 * (`ariaSnapshot`) decides when they do not, so a difference in name computation is no miss.
 */
export async function verifyTarget(locator: Locator, stored: ElementFingerprint | null): Promise<Verification> {
  const visible = locator.filter({ visible: true });
  // A page still navigating (a redirect after a submit) destroys the probe's context: not there yet.
  const probe: ProbeVerify = await runVerifyProbe(visible).catch((error: unknown): ProbeVerify => {
    if (isNavigationRace(error)) return { count: 0 };
    throw error;
  });
  if (probe.count > 1) return { status: "miss", kind: "ambiguous", detail: `${probe.count} visible elements match.`, observed: null };
  if (probe.count === 0 || !probe.fingerprint || !probe.cover) return { status: "miss", kind: "not_found", detail: "No visible element matches.", observed: null };
  let observed = probe.fingerprint;
  if (stored && !fingerprintMatches(stored, observed).matches) {
    observed = await withPlaywrightRoleAndName(visible, observed);
    const verdict = fingerprintMatches(stored, observed);
    if (!verdict.matches) return { status: "miss", kind: "fingerprint_mismatch", detail: `${verdict.reasons.join("; ")}.`, observed };
  }
  if (probe.cover.blocked) return { status: "miss", kind: "blocked_by_overlay", detail: `A click would land on ${probe.cover.by ?? "another element"}.`, observed };
  return { status: "hit", locator: visible, fingerprint: observed };
}

/** What `elementFromPoint` at the element's centre finds (scrolled into view first when off-screen). */
export async function checkCover(locator: Locator): Promise<ProbeCover> {
  return runProbe<ProbeCover>(locator, { mode: "cover" });
}
