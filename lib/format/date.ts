import { differenceInSeconds, format, isSameYear } from "date-fns";

/** Past this age a date is shown as an absolute date instead of "… ago". */
const RELATIVE_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * A readable date in the runtime's time zone: relative when within a day of `now`
 * ("just now", "12 min ago", "in 3 h", "2 h 5 min ago"), absolute otherwise
 * ("Mon 24 Nov, 01:30", with the year when it is not the current one).
 */
export function formatRelativeDate(date: Date, now: Date = new Date()): string {
  const seconds = differenceInSeconds(date, now);
  const abs = Math.abs(seconds);
  if (abs >= RELATIVE_WINDOW_SECONDS) return formatAbsoluteDate(date, now);
  if (abs < 45) return seconds <= 0 ? "just now" : "in a moment";
  const phrase = abs < 60 * 60 ? `${Math.max(1, Math.round(abs / 60))} min` : relativeHours(abs);
  return seconds < 0 ? `${phrase} ago` : `in ${phrase}`;
}

function relativeHours(abs: number): string {
  const hours = Math.floor(abs / 3600);
  const minutes = Math.round((abs - hours * 3600) / 60);
  if (hours >= 3 || minutes === 0) return `${Math.round(abs / 3600)} h`;
  if (minutes === 60) return `${hours + 1} h`;
  return `${hours} h ${minutes} min`;
}

/** "Mon 24 Nov, 01:30"; "Mon 24 Nov 2024, 01:30" when not in the year of `now`. */
export function formatAbsoluteDate(date: Date, now: Date = new Date()): string {
  return format(date, isSameYear(date, now) ? "EEE d MMM, HH:mm" : "EEE d MMM yyyy, HH:mm");
}

/** The exact instant for tooltips: "Monday 24 November 2025, 01:30:12 GMT+1". */
export function formatExactDate(date: Date): string {
  return format(date, "EEEE d MMMM yyyy, HH:mm:ss 'GMT'xxx");
}
