import { RETRYABLE_ERROR_CODES } from "graphile-worker/dist/lib";

/**
 * Error codes that mean "the database connection went away", not "the statement is wrong":
 * the server shut down or crashed under the query (57P01, 57P02), refused the connection while it
 * was down (ECONNREFUSED), or the socket was cut (ECONNRESET, EPIPE, 08006).
 */
export const CONNECTION_LOST_CODES = ["57P01", "57P02", "08006", "ECONNREFUSED", "ECONNRESET", "EPIPE"] as const;

/**
 * graphile-worker (0.17.3, pinned) records a finished job's outcome without awaiting it and
 * retries that write only on the codes in its `RETRYABLE_ERROR_CODES` table, which lacks the ones
 * a database restart produces. The failed write then rejects unhandled (killing a worker process)
 * and leaves the job locked for 4 hours. This adds the connection-lost codes to that table, so
 * marking a job done or failed waits out a restart (3 s to 2 min between tries). Both writes are
 * idempotent (`where locked_by = <this pool>`), so a retry after a write that did land is a no-op.
 * Only those two writes and the task-name lookup use the table. Whatever still slips through is
 * reclaimed by the leaked-lock sweep (`reclaimLeakedLocks`).
 */
export function retryJobReleasesThroughRestarts(): void {
  for (const code of CONNECTION_LOST_CODES) RETRYABLE_ERROR_CODES[code] ??= { minDelay: 3_000, maxDelay: 120_000 };
}
