// The Playwright side of replay and healing (issue 12). Not wired into the adapters yet.
export { captureFingerprint, collectCandidates, locatorFromRecipe, MAX_CANDIDATES, type Candidate, type Scope } from "./fingerprint";
export { checkCover, verifyTarget, type Verification } from "./verify-target";
export { resolveTarget, type RankedCandidate, type Resolution, type ResolveOptions, type ResolveTrial } from "./resolve-target";
export { dismissBlockingOverlay, type OverlayDismissal } from "./dismiss-overlay";
export type { ProbeOverlayInfo } from "./page-probe";
