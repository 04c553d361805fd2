/**
 * When to try again. Our own scheduler (graphile-worker's backoff is fixed exp(attempts) seconds
 * without jitter): exponential backoff with full jitter, clamped to [minDelayMs, maxDelayMs].
 */
export interface RetryPolicy {
  maxAttempts: number;
  /** Delay before attempt 2 before jitter; doubles each attempt. */
  baseDelayMs: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before the attempt after `failedAttempt` (1-based), or `null` when no attempt remains.
 * `random` returns [0, 1) — pass a seeded generator in tests.
 */
export function nextRetryDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number): number | null {
  if (failedAttempt >= policy.maxAttempts) return null;
  const exponential = policy.baseDelayMs * 2 ** (failedAttempt - 1);
  const ceiling = Math.min(policy.maxDelayMs, Math.max(policy.minDelayMs, exponential));
  // Jitter between half and the whole of the ceiling spreads a burst of retries.
  const jittered = ceiling * (0.5 + 0.5 * random());
  return Math.round(Math.min(policy.maxDelayMs, Math.max(policy.minDelayMs, jittered)));
}

/** A small seeded PRNG (mulberry32) for reproducible jitter. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A batch's retry override (the recipe's `retry`): a fixed delay between attempts. */
export interface RetryOverride {
  maxAttempts: number;
  delaySeconds: number;
}

/**
 * The policy one run retries with: the deployment's, with the run's own attempt limit (set when
 * it was planned), and — when its batch overrides the retry policy — that fixed delay.
 */
export function policyForRun(policy: RetryPolicy, run: { maxAttempts: number }, override: RetryOverride | null): RetryPolicy {
  if (!override) return { ...policy, maxAttempts: run.maxAttempts };
  const delayMs = override.delaySeconds * 1000;
  return { maxAttempts: run.maxAttempts, baseDelayMs: delayMs, minDelayMs: delayMs, maxDelayMs: delayMs };
}
