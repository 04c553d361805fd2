import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { eq } from "drizzle-orm";
import { alerts, batches } from "@/drizzle/schema";
import { planBatch } from "../batches/plan-batch";
import { getSavedRecipe } from "../batches/recipe-store";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { ensureSchedule } from "./schedule-store";
import { latestSlot, nextSlot, timeZoneInWords } from "./slots";

/** A nightly batch started more than this after its slot was caught up by a later tick: backfilled. */
export const BACKFILL_AFTER_MS = 5 * 60_000;

export interface DispatchNightParams {
  /** The tick's time (graphile-worker's `_cron.ts`, or the real clock); tests inject it. */
  now: Date;
  /** Attempts per run when the recipe has no retry override. */
  defaultMaxAttempts: number;
  /** Pulls what changed in the CRM before planning (a failure is logged; the batch still starts). */
  syncCases?: () => Promise<unknown>;
  log?: Logger;
}

export type DispatchNightResult =
  | { kind: "paused" }
  /** No slot since the schedule took effect (or since the last one): nothing to do until `nextSlot`. */
  | { kind: "waiting"; nextSlot: Date }
  /** This night's batch exists (an earlier tick, or another worker won the race). */
  | { kind: "night_exists"; nightKey: string; batchId: string }
  | { kind: "started"; nightKey: string; batchId: string | null; caseCount: number; backfilled: boolean; late: boolean };

/**
 * One tick of the nightly schedule (graphile-worker's crontab runs it every minute on every
 * worker). Reads the schedule, so a change counts from the next tick; if the latest slot has
 * passed since the schedule took effect and its night has no batch yet, pulls the CRM and plans
 * the night's batch from the saved recipe. Exactly one batch per local night, however many
 * ticks race: the unique `batches.night_key` index decides, and the loser gets `night_exists`.
 *
 * A tick more than BACKFILL_AFTER_MS after the slot (no worker was up at it) marks the batch
 * `backfilled`; one after the deadline starts it anyway, marks it `late` and raises a critical
 * alert in the same transaction.
 */
export async function dispatchNight(db: Db, queue: JobQueue, params: DispatchNightParams): Promise<DispatchNightResult> {
  const { now } = params;
  const stored = await ensureSchedule(db, { now });
  const { schedule } = stored;
  if (!schedule.enabled) return { kind: "paused" };
  const slot = latestSlot(schedule, now);
  // A slot that was over before the schedule took effect (fresh install, or a change) never counts.
  if (slot.at.getTime() < stored.updatedAt.getTime()) return { kind: "waiting", nextSlot: nextSlot(schedule, now).at };

  const [existing] = await db.select({ id: batches.id }).from(batches).where(eq(batches.nightKey, slot.nightKey));
  if (existing) return { kind: "night_exists", nightKey: slot.nightKey, batchId: existing.id };

  if (params.syncCases) {
    // The CRM being down must not cost the night: webhooks have stored most cases already.
    await params.syncCases().catch((error: unknown) => params.log?.warn({ err: error }, "nightly batch: could not pull the CRM; planning with the cases we have"));
  }
  const late = now.getTime() > slot.deadline.getTime();
  const backfilled = !late && now.getTime() - slot.at.getTime() > BACKFILL_AFTER_MS;
  const saved = await getSavedRecipe(db);

  const result = await withJobs(db, queue, async (tx) => {
    const planned = await planBatch(tx, queue, {
      trigger: "cron",
      plan: saved.recipe,
      recipeVersion: saved.version,
      deadline: slot.deadline,
      createdBy: "schedule",
      defaultMaxAttempts: params.defaultMaxAttempts,
      night: { key: slot.nightKey, scheduledFor: slot.at, backfilled, late },
      now,
    });
    if (planned.kind !== "night_exists" && late) {
      await tx.insert(alerts).values({ severity: "critical", kind: "night_late", message: lateMessage(slot, now, schedule.timeZone) });
    }
    return planned;
  });

  if (result.kind === "night_exists") return { kind: "night_exists", nightKey: slot.nightKey, batchId: result.batchId };
  const caseCount = result.kind === "planned" ? result.caseCount : 0;
  params.log?.info({ nightKey: slot.nightKey, batchId: result.batchId, caseCount, backfilled, late, scheduledFor: slot.at }, "nightly batch started");
  return { kind: "started", nightKey: slot.nightKey, batchId: result.batchId, caseCount, backfilled, late };
}

function lateMessage(slot: { at: Date; deadline: Date; nightKey: string }, now: Date, timeZone: string): string {
  const inZone = { in: tz(timeZone) };
  const zone = timeZoneInWords(timeZone, slot.at);
  return (
    `The nightly batch of ${format(slot.at, "EEEE, MMMM d", inZone)} started late, at ${format(now, "h:mm a", inZone)} ${zone}: ` +
    `no worker was up to start it between ${format(slot.at, "h:mm a", inZone)} and its ${format(slot.deadline, "h:mm a", inZone)} deadline, so it will not be done by morning.`
  );
}
