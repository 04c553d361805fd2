import { TZDate } from "@date-fns/tz";
import { eq } from "drizzle-orm";
import { scheduleSettings } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { DEFAULT_SCHEDULE, type Schedule } from "../schedule/schedule";

/**
 * The deadline of a manual batch: the schedule's next morning deadline ("07:00" in its zone) after
 * `now`. A small local helper until lib/schedule exports one (the schedule's owner builds it).
 */
export function nextDeadlineAfter(schedule: Pick<Schedule, "deadline" | "timeZone">, now: Date): Date {
  const [hours = 7, minutes = 0] = schedule.deadline.split(":").map(Number);
  const local = new TZDate(now.getTime(), schedule.timeZone);
  for (let days = 0; days <= 2; days++) {
    const candidate = new TZDate(local.getFullYear(), local.getMonth(), local.getDate() + days, hours, minutes, 0, schedule.timeZone);
    if (candidate.getTime() > now.getTime()) return new Date(candidate.getTime());
  }
  return new Date(now.getTime() + 24 * 3_600_000);
}

/** The stored schedule (or the default one when none is saved). */
export async function readSchedule(db: Db): Promise<Pick<Schedule, "deadline" | "timeZone">> {
  const [row] = await db.select({ deadline: scheduleSettings.deadline, timeZone: scheduleSettings.timeZone }).from(scheduleSettings).where(eq(scheduleSettings.id, "nightly"));
  return row ?? DEFAULT_SCHEDULE;
}
