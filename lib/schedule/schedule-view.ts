import type { Db } from "../db/client";
import type { Schedule } from "./schedule";
import { getSchedule, saveSchedule } from "./schedule-store";
import { describeSchedule, nextSlot } from "./slots";

/** The schedule as the Settings page and GET/PUT /api/settings/schedule show it. */
export interface ScheduleView {
  schedule: Schedule;
  /** "Every night at 1:30 AM Central · done by 7:00 AM" (or the paused wording). */
  description: string;
  /** ISO instant of the next slot; null while paused. */
  nextSlot: string | null;
  /** ISO instant of that slot's deadline; null while paused. */
  nextDeadline: string | null;
  /** null: never saved (the defaults apply). */
  updatedBy: string | null;
  updatedAt: string | null;
}

function toView(stored: { schedule: Schedule; updatedBy: string | null; updatedAt: Date | null }, now: Date): ScheduleView {
  const next = stored.schedule.enabled ? nextSlot(stored.schedule, now) : null;
  return {
    schedule: stored.schedule,
    description: describeSchedule(stored.schedule),
    nextSlot: next?.at.toISOString() ?? null,
    nextDeadline: next?.deadline.toISOString() ?? null,
    updatedBy: stored.updatedBy,
    updatedAt: stored.updatedAt?.toISOString() ?? null,
  };
}

export async function getScheduleView(db: Db, params: { now?: Date } = {}): Promise<ScheduleView> {
  return toView(await getSchedule(db), params.now ?? new Date());
}

/** Saves (audited) and returns the new view; the dispatcher uses it from its next tick. */
export async function updateSchedule(db: Db, params: { schedule: Schedule; actor: string; now?: Date }): Promise<ScheduleView> {
  const saved = await saveSchedule(db, params);
  return toView(saved, params.now ?? new Date());
}
