/** Error codes meaning "the database went away for a moment" (restart, failover, network). */
const TRANSIENT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "CONNECTION_ENDED", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "57P01", "57P02", "57P03", "08000", "08003", "08006"]);

export function isTransientDatabaseError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Runs a database operation, retrying while the database is briefly unavailable (e.g. a restart
 * mid-batch), so an attempt's outcome is recorded rather than lost. Only for idempotent work.
 */
export async function withDatabaseRetry<T>(operation: () => Promise<T>, options: { timeoutMs?: number; onRetry?: (error: unknown) => void } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let delay = 250;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientDatabaseError(error) || Date.now() + delay > deadline) throw error;
      options.onRetry?.(error);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
