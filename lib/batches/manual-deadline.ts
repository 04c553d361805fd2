import type { Db } from "../db/client";
import { getSchedule } from "../schedule/schedule-store";
import { deadlineAfter } from "../schedule/slots";

/**
 * The deadline of a manual batch (Run now): the schedule's next morning deadline after `now`
 * ("07:00" in the schedule's zone), worked out by the schedule's own DST-safe arithmetic.
 */
export async function manualBatchDeadline(db: Db, now: Date): Promise<Date> {
  return deadlineAfter(now, (await getSchedule(db)).schedule);
}
