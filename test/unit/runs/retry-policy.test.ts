import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { retryPolicyFrom } from "@/lib/config/integrations";
import { nextRetryDelayMs, seededRandom } from "@/lib/runs/retry-policy";

// The policy production builds from its environment (no RETRY_* set: the defaults).
const PRODUCTION_RETRY_POLICY = retryPolicyFrom(parseEnv({ NIGHTSHIFT_ENV: "prod", SANDBOX: "off" }));

describe("retry policy", () => {
  it("gives a run three attempts in production, so only the first two failures are retried", () => {
    const random = seededRandom(1);
    expect(nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 1, random)).not.toBeNull();
    expect(nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 2, random)).not.toBeNull();
    expect(nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 3, random)).toBeNull();
  });

  it("keeps every production delay between 2 and 10 minutes, whatever the jitter", () => {
    for (let seed = 0; seed < 500; seed++) {
      const random = seededRandom(seed);
      for (const attempt of [1, 2]) {
        const delay = nextRetryDelayMs(PRODUCTION_RETRY_POLICY, attempt, random)!;
        expect(delay).toBeGreaterThanOrEqual(2 * 60_000);
        expect(delay).toBeLessThanOrEqual(10 * 60_000);
      }
    }
  });

  it("backs off exponentially: the second wait is on average longer than the first", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 1000, minDelayMs: 0, maxDelayMs: 60_000 };
    const mean = (attempt: number) => {
      const random = seededRandom(42);
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum += nextRetryDelayMs(policy, attempt, random)!;
      return sum / 1000;
    };
    expect(mean(2)).toBeGreaterThan(mean(1) * 1.8);
    expect(mean(3)).toBeGreaterThan(mean(2) * 1.8);
  });

  it("jitters: the same attempt gets different delays from different seeds, and the same delay from the same seed", () => {
    const delays = new Set(Array.from({ length: 20 }, (_, seed) => nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 1, seededRandom(seed))));
    expect(delays.size).toBeGreaterThan(10);
    expect(nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 1, seededRandom(7))).toBe(nextRetryDelayMs(PRODUCTION_RETRY_POLICY, 1, seededRandom(7)));
  });

  it("scales down to seconds for tests and soak runs", () => {
    const soak = { maxAttempts: 3, baseDelayMs: 2000, minDelayMs: 1000, maxDelayMs: 5000 };
    const delay = nextRetryDelayMs(soak, 1, seededRandom(3))!;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(5000);
  });
});
