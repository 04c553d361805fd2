// Replay's check before it acts: the locator must find exactly one visible element, that element
// must still be the recorded control (role and name), and a click at its centre must reach it
// rather than a dialog or overlay on top of it.

import type { Locator } from "playwright-core";
import { fingerprintMatches, type ElementFingerprint, type MissKind } from "@/lib/healing";
import { captureFingerprint } from "./fingerprint";
import { runProbe, type ProbeCover } from "./page-probe";

export type Verification =
  | { status: "hit"; locator: Locator; fingerprint: ElementFingerprint }
  | { status: "miss"; kind: MissKind; detail: string; observed: ElementFingerprint | null };

/** Checks `locator` against the stored fingerprint; `stored: null` checks only "one visible element, not covered". */
export async function verifyTarget(locator: Locator, stored: ElementFingerprint | null): Promise<Verification> {
  const visible = locator.filter({ visible: true });
  const count = await visible.count();
  if (count === 0) return { status: "miss", kind: "not_found", detail: "No visible element matches.", observed: null };
  if (count > 1) return { status: "miss", kind: "ambiguous", detail: `${count} visible elements match.`, observed: null };
  const observed = await captureFingerprint(visible);
  if (stored) {
    const verdict = fingerprintMatches(stored, observed);
    if (!verdict.matches) return { status: "miss", kind: "fingerprint_mismatch", detail: `${verdict.reasons.join("; ")}.`, observed };
  }
  const cover = await checkCover(visible);
  if (cover.blocked) return { status: "miss", kind: "blocked_by_overlay", detail: `A click would land on ${cover.by ?? "another element"}.`, observed };
  return { status: "hit", locator: visible, fingerprint: observed };
}

/** What `elementFromPoint` at the element's centre finds (scrolled into view first when off-screen). */
export async function checkCover(locator: Locator): Promise<ProbeCover> {
  return runProbe<ProbeCover>(locator, { mode: "cover" });
}
