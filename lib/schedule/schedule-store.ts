import { eq, sql } from "drizzle-orm";
import { auditLog, scheduleSettings } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { DEFAULT_SCHEDULE, scheduleSchema, type Schedule } from "./schedule";

/** The one row of `schedule_settings`. */
export const SCHEDULE_ID = "nightly";

/** Who set the default row: nobody, the first tick of a fresh install. */
export const INSTALL_ACTOR = "system";

export interface StoredSchedule {
  schedule: Schedule;
  /** null: no row yet (the defaults apply). */
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** A schedule that has a row. */
export interface SavedSchedule extends StoredSchedule {
  updatedBy: string;
  updatedAt: Date;
}

type Row = typeof scheduleSettings.$inferSelect;

function fromRow(row: Row): SavedSchedule {
  // A row written by older code is read leniently: fields the schema refuses fall back to the defaults.
  const parsed = scheduleSchema.safeParse({ enabled: row.enabled, time: row.time, timeZone: row.timeZone, deadline: row.deadline });
  return { schedule: parsed.success ? parsed.data : DEFAULT_SCHEDULE, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/** The saved schedule, or the defaults when none is saved. */
export async function getSchedule(db: Db): Promise<StoredSchedule> {
  const [row] = await db.select().from(scheduleSettings).where(eq(scheduleSettings.id, SCHEDULE_ID));
  return row ? fromRow(row) : { schedule: DEFAULT_SCHEDULE, updatedBy: null, updatedAt: null };
}

export interface EnsureScheduleParams {
  /** When the default row counts from (the dispatcher passes its clock). */
  now: Date;
}

/**
 * The saved schedule; with no row, inserts the defaults first, so the row's `updated_at` is the
 * install time (slots before it never count). Safe when many workers race: one insert wins.
 */
export async function ensureSchedule(db: Db, params: EnsureScheduleParams): Promise<SavedSchedule> {
  const [existing] = await db.select().from(scheduleSettings).where(eq(scheduleSettings.id, SCHEDULE_ID));
  if (existing) return fromRow(existing);
  await db
    .insert(scheduleSettings)
    .values({ id: SCHEDULE_ID, ...DEFAULT_SCHEDULE, updatedBy: INSTALL_ACTOR, updatedAt: params.now })
    .onConflictDoNothing({ target: scheduleSettings.id });
  const [row] = await db.select().from(scheduleSettings).where(eq(scheduleSettings.id, SCHEDULE_ID));
  if (!row) throw new Error("schedule_settings: the default row vanished right after its insert");
  return fromRow(row);
}

export interface SaveScheduleParams {
  schedule: Schedule;
  /** The person (audit_log.actor and the row's updated_by). */
  actor: string;
  /** Tests with a fixed clock; default the database's now(). */
  now?: Date;
}

/**
 * Saves the schedule (validated again here: every caller gets the same rules) and records the
 * change in audit_log (`schedule.update`, details `{ before, after }`) in one transaction. The
 * dispatcher reads it on its next tick; slots before this save never count.
 */
export async function saveSchedule(db: Db, params: SaveScheduleParams): Promise<SavedSchedule> {
  const after = scheduleSchema.parse(params.schedule);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(scheduleSettings).where(eq(scheduleSettings.id, SCHEDULE_ID)).for("update");
    const before = current ? fromRow(current).schedule : DEFAULT_SCHEDULE;
    const updatedAt = params.now ?? sql`now()`;
    const [row] = await tx
      .insert(scheduleSettings)
      .values({ id: SCHEDULE_ID, ...after, updatedBy: params.actor, updatedAt })
      .onConflictDoUpdate({ target: scheduleSettings.id, set: { ...after, updatedBy: params.actor, updatedAt } })
      .returning();
    await tx.insert(auditLog).values({ actor: params.actor, action: "schedule.update", details: { before, after } });
    return fromRow(row!);
  });
}
