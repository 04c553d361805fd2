import { z } from "zod";
import { pruneStoppedWorkers } from "@/lib/workers/heartbeats";
import { defineTask } from "./define-task";

const payloadSchema = z.object({ olderThanDays: z.number().int().min(1).optional() });

/** Daily housekeeping: forget workers that stopped more than a week ago. */
export const pruneHeartbeats = defineTask(payloadSchema, async (payload, { db, log }) => {
  const removed = await pruneStoppedWorkers(db, { olderThanDays: payload.olderThanDays ?? 7 });
  if (removed > 0) log.info({ removed }, "pruned heartbeats of long-stopped workers");
});
