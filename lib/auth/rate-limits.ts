import { lt } from "drizzle-orm";
import { rateLimits } from "@/drizzle/schema";
import type { Database } from "../db/client";

/**
 * Forgets sign-in rate-limit counters untouched for a day (the longest window is seconds): one
 * row per client address and path would otherwise pile up. Daily housekeeping calls it.
 */
export async function pruneRateLimits(db: Database, options: { now?: Date; olderThanMs?: number } = {}): Promise<number> {
  const cutoff = (options.now ?? new Date()).getTime() - (options.olderThanMs ?? 24 * 3600_000);
  const removed = await db.delete(rateLimits).where(lt(rateLimits.lastRequest, cutoff)).returning({ id: rateLimits.id });
  return removed.length;
}
