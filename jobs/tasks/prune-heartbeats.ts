import { pruneRateLimits } from "@/lib/auth/rate-limits";
import { pruneStoppedWorkers } from "@/lib/workers/heartbeats";
import { defineTask } from "./define-task";

/** Daily housekeeping: forget workers that stopped more than a week ago, and stale sign-in rate-limit counters. */
export const pruneHeartbeats = defineTask("prune_heartbeats", async (payload, { db, log }) => {
  const removed = await pruneStoppedWorkers(db, { olderThanDays: payload.olderThanDays ?? 7 });
  if (removed > 0) log.info({ removed }, "pruned heartbeats of long-stopped workers");
  const counters = await pruneRateLimits(db);
  if (counters > 0) log.info({ removed: counters }, "pruned stale sign-in rate-limit counters");
});
