/**
 * The overview's look back over the nights: per nightly batch and OEM what was submitted and what
 * ended as a terminal fail (the trend chart, the per-OEM sparklines), the done-by-morning streak,
 * and tonight's schedule in words. One grouped query per figure set, on indexed columns
 * (batches.night_key, runs.batch_id, cases' primary key).
 */
import { sql } from "drizzle-orm";
import { oems } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { BATCH_STATUSES, RUN_STATUSES, isOneOf, type BatchStatus } from "../domain/vocabulary";
import { getSchedule } from "../schedule/schedule-store";
import { latestSlot } from "../schedule/slots";
import { SPARKLINE_NIGHTS, TREND_NIGHTS, computeStreak, nightAxis, tallyNights, type DoneByMorningStreak, type NightCountRow, type NightFigures, type StreakRow } from "./night-figures";
import { describeTonight, type Tonight } from "./tonight";

export { SPARKLINE_NIGHTS, TREND_NIGHTS } from "./night-figures";

export interface NightHistory {
  generatedAt: Date;
  /** The schedule's zone: night keys are local dates in it. */
  timeZone: string;
  /** The last `nights` local nights, oldest first; a night without a batch has zeros and `batchId` null. */
  nights: NightFigures[];
  oems: Array<{ id: string; label: string; color: string; monogram: string }>;
  streak: DoneByMorningStreak;
  tonight: Tonight;
}

export interface GetNightHistoryParams {
  /** Nights on the axis (1–90); default 30. */
  nights?: number;
  now?: Date;
}

interface CountRow extends Record<string, unknown> {
  batch_id: string;
  night_key: string;
  status: string;
  met_sla: boolean | null;
  oem_id: string | null;
  run_status: string | null;
  n: number;
}

interface StreakDbRow extends Record<string, unknown> {
  night_key: string;
  met_sla: boolean | null;
  status: string;
}

export async function getNightHistory(db: Db, params: GetNightHistoryParams = {}): Promise<NightHistory> {
  const now = params.now ?? new Date();
  const count = Math.min(90, Math.max(1, Math.trunc(params.nights ?? TREND_NIGHTS)));
  const [{ schedule }, latestRows] = await Promise.all([
    getSchedule(db),
    db.execute<{ night_key: string; status: string }>(sql`select night_key, status from batches where night_key is not null order by night_key desc limit 1`),
  ]);
  const latest = latestRows[0];
  // The axis ends at the latest slot's night (or a later batch's, should one exist).
  const slotNight = latestSlot(schedule, now).nightKey;
  const lastKey = latest && latest.night_key > slotNight ? latest.night_key : slotNight;
  const axis = nightAxis(lastKey, count);
  const firstKey = axis[0] ?? lastKey;

  // The trend needs each night's totals (runs by batch, on runs_batch_idx, no join); only the
  // sparklines' nights need the OEM of each run (a join to cases), so that part spans fewer nights.
  const oemFirstKey = axis[Math.max(0, axis.length - SPARKLINE_NIGHTS)] ?? firstKey;
  const [countRows, oemCountRows, streakRows, oemRows] = await Promise.all([
    db.execute<CountRow>(sql`
      select b.id as batch_id, b.night_key, b.status, b.met_sla, null as oem_id, r.status as run_status, count(r.id)::int as n
      from batches b
      left join runs r on r.batch_id = b.id
      where b.night_key is not null and b.night_key >= ${firstKey} and b.night_key <= ${lastKey}
      group by b.id, b.night_key, b.status, b.met_sla, r.status`),
    db.execute<CountRow>(sql`
      select b.id as batch_id, b.night_key, b.status, b.met_sla, c.oem_id, r.status as run_status, count(*)::int as n
      from batches b
      join runs r on r.batch_id = b.id
      join cases c on c.id = r.case_id
      where b.night_key is not null and b.night_key >= ${oemFirstKey} and b.night_key <= ${lastKey}
      group by b.id, b.night_key, b.status, b.met_sla, c.oem_id, r.status`),
    // Every night since the latest miss (that one included): the streak needs no more.
    db.execute<StreakDbRow>(sql`
      select night_key, met_sla, status from batches
      where night_key is not null
        and night_key >= coalesce((select max(night_key) from batches where night_key is not null and met_sla is not true and status in ('finished', 'cancelled')), '')
      order by night_key desc`),
    db.select({ id: oems.id, label: oems.label, color: oems.color, monogram: oems.monogram }).from(oems).orderBy(oems.label),
  ]);

  const toRow = (row: CountRow): NightCountRow => ({
    batchId: row.batch_id,
    nightKey: row.night_key,
    batchStatus: toBatchStatus(row.status),
    metSla: row.met_sla,
    oemId: row.oem_id,
    runStatus: isOneOf(RUN_STATUSES, row.run_status) ? row.run_status : null,
    count: row.n,
  });
  const streakInput: StreakRow[] = streakRows.map((row) => ({ nightKey: row.night_key, metSla: row.met_sla, batchStatus: toBatchStatus(row.status) }));

  return {
    generatedAt: now,
    timeZone: schedule.timeZone,
    nights: tallyNights(axis, countRows.map(toRow), oemCountRows.map(toRow)),
    oems: oemRows,
    streak: computeStreak(streakInput),
    tonight: describeTonight({ schedule, now, latestNight: latest ? { nightKey: latest.night_key, status: toBatchStatus(latest.status) } : null }),
  };
}

function toBatchStatus(value: string): BatchStatus {
  return isOneOf(BATCH_STATUSES, value) ? value : "finished";
}
