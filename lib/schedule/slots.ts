import { tz } from "@date-fns/tz";
import { format } from "date-fns";
import { Cron } from "croner";
import type { Schedule } from "./schedule";

/**
 * Slot arithmetic of the nightly schedule. A slot is the instant the schedule's local time falls
 * on one day in its zone. All daylight-saving handling is croner's (no hand-written offsets):
 * a local time inside the spring-forward gap fires once at the next valid instant (02:30 → 03:00),
 * one inside the repeated fall-back hour fires once, at its first occurrence.
 */

export interface NightSlotTimes {
  /** The slot instant. */
  at: Date;
  /** "YYYY-MM-DD": the slot's local date in the schedule's zone (the night key). */
  nightKey: string;
  /** The first local deadline time after the slot. */
  deadline: Date;
}

type ScheduleTimes = Pick<Schedule, "time" | "timeZone">;

function dailyCron(localTime: string, timeZone: string): Cron {
  const [hours, minutes] = localTime.split(":").map(Number);
  return new Cron(`${minutes} ${hours} * * *`, { timezone: timeZone, paused: true });
}

/** The slot's local date in the zone ("YYYY-MM-DD"). */
export function nightKeyOf(at: Date, timeZone: string): string {
  return format(at, "yyyy-MM-dd", { in: tz(timeZone) });
}

/** The first local deadline time strictly after `slot`. */
export function deadlineAfter(slot: Date, schedule: Pick<Schedule, "deadline" | "timeZone">): Date {
  const next = dailyCron(schedule.deadline, schedule.timeZone).nextRun(slot);
  // A daily pattern always has a next run.
  if (!next) throw new Error(`no deadline after ${slot.toISOString()} for ${schedule.deadline} ${schedule.timeZone}`);
  return next;
}

function slotTimes(at: Date, schedule: Pick<Schedule, "deadline" | "timeZone">): NightSlotTimes {
  return { at, nightKey: nightKeyOf(at, schedule.timeZone), deadline: deadlineAfter(at, schedule) };
}

/** The latest slot at or before `now` (with its night key and deadline). */
export function latestSlot(schedule: ScheduleTimes & Pick<Schedule, "deadline">, now: Date): NightSlotTimes {
  // croner's previousRuns is exclusive of its reference and works in whole seconds: ask from the
  // next whole second, so a slot exactly at `now` counts and nothing after `now` can.
  const reference = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  const [at] = dailyCron(schedule.time, schedule.timeZone).previousRuns(1, reference);
  if (!at) throw new Error(`no slot before ${now.toISOString()} for ${schedule.time} ${schedule.timeZone}`);
  return slotTimes(at, schedule);
}

/** The first slot strictly after `now`. */
export function nextSlot(schedule: ScheduleTimes & Pick<Schedule, "deadline">, now: Date): NightSlotTimes {
  const at = dailyCron(schedule.time, schedule.timeZone).nextRun(now);
  if (!at) throw new Error(`no slot after ${now.toISOString()} for ${schedule.time} ${schedule.timeZone}`);
  return slotTimes(at, schedule);
}

/** "01:30" → "1:30 AM". */
export function formatLocalTime(localTime: string): string {
  const [hours = 0, minutes = 0] = localTime.split(":").map(Number);
  const suffix = hours < 12 ? "AM" : "PM";
  return `${hours % 12 === 0 ? 12 : hours % 12}:${String(minutes).padStart(2, "0")} ${suffix}`;
}

/** The zone in words ("Central", "Central European"), or its IANA name when Intl has no name for it. */
export function timeZoneInWords(timeZone: string, at: Date = new Date()): string {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longGeneric" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
  } catch {
    return timeZone;
  }
  if (!name || /^GMT|^UTC/.test(name)) return timeZone;
  return name.replace(/ (Standard )?Time$/, "");
}

/** The schedule in words: "Every night at 1:30 AM Central · done by 7:00 AM". */
export function describeSchedule(schedule: Schedule): string {
  const start = formatLocalTime(schedule.time);
  // A deadline earlier in the day than the start is on the next day (22:00 → 06:00).
  const nextDay = schedule.deadline < schedule.time ? " the next day" : "";
  const words = `${start} ${timeZoneInWords(schedule.timeZone)} · done by ${formatLocalTime(schedule.deadline)}${nextDay}`;
  return schedule.enabled ? `Every night at ${words}` : `Paused — no nightly batch (set for ${words})`;
}
