/**
 * Tonight's schedule in words for the overview: when the nightly batch starts and by when it must
 * be done, in the schedule's own zone ("Tonight at 1:30 AM Central · done by 7:00 AM"). Pure.
 */
import type { Schedule } from "../schedule/schedule";
import { formatLocalTime, latestSlot, nextSlot, timeZoneInWords } from "../schedule/slots";

export interface TonightInput {
  schedule: Schedule;
  now: Date;
  /** The latest nightly batch (any night): whether it is tonight's and still going. */
  latestNight: { nightKey: string; status: "planned" | "running" | "finished" | "cancelled" } | null;
}

export interface Tonight {
  /** "Tonight at 1:30 AM Central · done by 7:00 AM" or the running / paused wording. */
  sentence: string;
  /** A second line: what happens if nothing changes. */
  detail: string;
  /** The next slot and its deadline; null while the schedule is paused. */
  nextSlot: Date | null;
  nextDeadline: Date | null;
  /** The night in progress (between its slot and its deadline) has a batch still working. */
  running: boolean;
}

export function describeTonight(input: TonightInput): Tonight {
  const { schedule, now } = input;
  const zone = timeZoneInWords(schedule.timeZone, now);
  const start = formatLocalTime(schedule.time);
  const deadline = formatLocalTime(schedule.deadline);
  if (!schedule.enabled) {
    return {
      sentence: "No nightly batch: the schedule is paused",
      detail: `When it is switched back on, it starts at ${start} ${zone} and must be done by ${deadline}. Run now still starts a batch at once.`,
      nextSlot: null,
      nextDeadline: null,
      running: false,
    };
  }
  const latest = latestSlot(schedule, now);
  const next = nextSlot(schedule, now);
  // Between a slot and its deadline the night is on: the next slot is the following night.
  const nightOn = now.getTime() < latest.deadline.getTime();
  const running = nightOn && input.latestNight?.nightKey === latest.nightKey && (input.latestNight.status === "running" || input.latestNight.status === "planned");
  if (running) {
    return {
      sentence: `Tonight's batch is running · due by ${deadline} ${zone}`,
      detail: `It started at ${start}. The next one starts tomorrow night at ${start}.`,
      nextSlot: next.at,
      nextDeadline: next.deadline,
      running: true,
    };
  }
  const label = nightOn ? "Tomorrow night" : "Tonight";
  return {
    sentence: `${label} at ${start} ${zone} · done by ${deadline}`,
    detail: "New cases from the CRM are picked up at the start; every one is submitted or explained by the deadline.",
    nextSlot: next.at,
    nextDeadline: next.deadline,
    running: false,
  };
}
