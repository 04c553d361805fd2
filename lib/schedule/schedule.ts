import { z } from "zod";

/**
 * The nightly schedule, as ops set it on the Settings page: a local time of day in an IANA time
 * zone, the morning deadline in the same zone, on/off. Stored in `schedule_settings` (one row);
 * the dispatcher reads it on every tick, so a change takes effect without a restart.
 */

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use 24-hour HH:MM, e.g. 01:30");

export const scheduleSchema = z
  .object({
    enabled: z.boolean(),
    /** Local start time, "HH:MM". */
    time: timeOfDay,
    /** IANA zone, e.g. "America/Chicago". */
    timeZone: z.string().refine(isTimeZone, "Not an IANA time zone (e.g. America/Chicago)"),
    /** Local deadline, "HH:MM", the next such time after the start. */
    deadline: timeOfDay,
  })
  .strict()
  .refine((s) => s.time !== s.deadline, { path: ["deadline"], message: "The deadline must differ from the start time" });

export type Schedule = z.infer<typeof scheduleSchema>;

export const DEFAULT_SCHEDULE: Schedule = { enabled: true, time: "01:30", timeZone: "America/Chicago", deadline: "07:00" };

export function isTimeZone(value: string): boolean {
  if (!value || !value.includes("/")) return value === "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
