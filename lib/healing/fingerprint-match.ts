import { driftsToOtherAction } from "./action-words";
import { normaliseText } from "./normalise";
import type { ElementFingerprint } from "./types";

export interface FingerprintVerdict {
  matches: boolean;
  /** Why not, one sentence each (empty when it matches). */
  reasons: string[];
}

/**
 * Whether an element found by a cached or primary locator is still the control that was recorded:
 * the same role and the same accessible name (after normalisation; when neither has a name, the
 * same label). A locator that now hits a different control is a mismatch, never a hit — so a
 * renamed-but-same control also misses here and goes to healing, where it is scored and its use
 * before the irreversible step needs approval.
 */
export function fingerprintMatches(stored: ElementFingerprint, observed: ElementFingerprint): FingerprintVerdict {
  const reasons: string[] = [];
  if ((stored.role ?? "") !== (observed.role ?? "")) reasons.push(`role is ${describe(observed.role)}, expected ${describe(stored.role)}`);
  const storedName = normaliseText(stored.name);
  const observedName = normaliseText(observed.name);
  if (storedName !== observedName) {
    reasons.push(`accessible name is "${observed.name}", expected "${stored.name}"`);
  } else if (storedName === "" && normaliseText(stored.label) !== normaliseText(observed.label)) {
    reasons.push(`label is "${observed.label ?? ""}", expected "${stored.label ?? ""}"`);
  }
  if (driftsToOtherAction(stored.name, observed.name)) reasons.push(`"${observed.name}" names a different action`);
  return { matches: reasons.length === 0, reasons };
}

function describe(role: string | null): string {
  return role === null ? "none" : `"${role}"`;
}
