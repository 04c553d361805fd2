/**
 * The triage view: open terminal fails grouped by fingerprint (OEM × step × normalised error) in
 * lanes by who fixes them. Groups are counted in SQL and keyset-paginated (lane, acknowledged last,
 * largest first, fingerprint); only the page's groups get their sample cases, batches and a
 * screenshot link.
 */
import { sql, type SQL } from "drizzle-orm";
import { toFailureObject } from "../artifacts/failure-links";
import type { ArtifactStore } from "../artifacts/store";
import { parseBatchPlan } from "../batches/recipe";
import type { Db } from "../db/client";
import { storedFailureSchema, type FailureObject } from "../domain/types";
import { ERROR_CLASSES, TERMINAL_FAIL_STATUSES, isOneOf, type BatchTrigger, type ErrorClass, type TerminalFailStatus } from "../domain/vocabulary";
import { laneFor, laneRank, type TriageLane } from "./lanes";
import { openFailsFromCases, openTerminalFail, waitingCase } from "./open-fails";
import { acknowledgementState, encodeCursor, nothingToTriageSentence, summariseLanes, type AcknowledgementState, type LaneSummary, type LastBatchFigures, type TriageCursor } from "./summary";

/** How many of a group's cases the card names (newest first). */
export const GROUP_SAMPLE_CASES = 5;
/** How many of a group's batches the card links to (newest first). */
const GROUP_RECENT_BATCHES = 3;

export interface TriageOem {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

export interface TriageGroupCase {
  runId: string;
  caseId: string;
  reference: string;
  status: TerminalFailStatus;
  finishedAt: Date | null;
}

export interface TriageGroup {
  /** The group's id in the API: its fingerprint. */
  groupId: string;
  fingerprint: string;
  lane: TriageLane;
  /** The class of the group's newest failure (after an override, every run's). */
  errorClass: ErrorClass | null;
  /** Runs of the group carry more than one class (some were reclassified one by one). */
  mixedClasses: boolean;
  errorCode: string | null;
  oem: TriageOem;
  count: number;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  batches: { count: number; recent: Array<{ id: string; trigger: BatchTrigger; createdAt: Date }> };
  /** The newest failure of the group, with signed links to its evidence. */
  sample: { runId: string; caseId: string; reference: string; failure: FailureObject } | null;
  /** The newest cases of the group (up to GROUP_SAMPLE_CASES). */
  cases: TriageGroupCase[];
  /** The runs view, filtered to this group. */
  runsHref: string;
  acknowledgement: (AcknowledgementState & { note: string; actor: string; acknowledgedAt: Date }) | null;
}

export type TriageLaneSummary = LaneSummary;

export interface TriageView {
  generatedAt: Date;
  filters: { lane: TriageLane | null; oem: string | null };
  /** Every lane, whatever the lane filter (the OEM filter applies). */
  lanes: TriageLaneSummary[];
  total: { groups: number; runs: number };
  groups: TriageGroup[];
  nextCursor: string | null;
  /** When nothing at all is open (for this OEM): what happened, from the latest finished batch. */
  empty: { sentence: string; lastBatch: LastBatchFigures | null } | null;
}

export interface ListTriageParams {
  lane?: TriageLane | null;
  oem?: string | null;
  limit?: number;
  cursor?: TriageCursor | null;
  /** Signs the sample screenshots (ARTIFACT_LINK_TTL_SECONDS.ui). */
  store: Pick<ArtifactStore, "signedUrl">;
  ttlSeconds: number;
  now?: Date;
}

const ORDER = sql`o.finished_at desc nulls last, o.id desc`;

function laneRankSql(column: SQL): SQL {
  const whens = ERROR_CLASSES.map((c) => sql`when ${c} then ${laneRank(laneFor(c))}::int`);
  return sql`(case ${column} ${sql.join(whens, sql` `)} else ${laneRank(laneFor(null))}::int end)`;
}

/** `with open_fails, groups, ranked`: one row per open group with its sort key. */
function rankedGroups(oem: string | null): SQL {
  return sql`with open_fails as (${openFailsFromCases({ oem })}),
    groups as (
      select o.fingerprint,
        count(*)::int as run_count,
        min(o.finished_at) as first_seen,
        max(o.finished_at) as last_seen,
        count(distinct o.batch_id)::int as batch_count,
        (array_agg(o.error_class order by ${ORDER}))[1] as error_class,
        count(distinct o.error_class)::int as class_count,
        (array_agg(o.error_code order by ${ORDER}))[1] as error_code,
        (array_agg(o.oem_id order by ${ORDER}))[1] as oem_id,
        a.note as ack_note, a.actor as ack_actor, a.acknowledged_at,
        (count(*) filter (where a.acknowledged_at is not null and o.finished_at > a.acknowledged_at))::int as new_since
      from open_fails o left join triage_acknowledgements a on a.fingerprint = o.fingerprint
      group by o.fingerprint, a.note, a.actor, a.acknowledged_at
    ),
    ranked as (
      select g.*, ${laneRankSql(sql`g.error_class`)} as lane_rank,
        (case when g.acknowledged_at is not null and g.new_since = 0 then 1 else 0 end)::int as ack_rank
      from groups g
    )`;
}

interface GroupRow extends Record<string, unknown> {
  fingerprint: string;
  run_count: number;
  first_seen: string | null;
  last_seen: string | null;
  batch_count: number;
  error_class: string | null;
  class_count: number;
  error_code: string | null;
  oem_id: string;
  oem_label: string | null;
  oem_color: string | null;
  oem_monogram: string | null;
  ack_note: string | null;
  ack_actor: string | null;
  acknowledged_at: string | null;
  new_since: number;
  lane_rank: number;
  ack_rank: number;
}

interface SampleRow extends Record<string, unknown> {
  fingerprint: string;
  run_id: string;
  case_id: string;
  reference: string;
  status: string;
  finished_at: string | null;
  failure: unknown;
}

interface BatchRow extends Record<string, unknown> {
  fingerprint: string;
  batch_id: string;
  trigger: BatchTrigger;
  created_at: string;
}

const toDate = (value: string | null): Date | null => (value === null ? null : new Date(value));
const asErrorClass = (value: string | null): ErrorClass | null => (isOneOf(ERROR_CLASSES, value) ? value : null);

/** One page of triage groups with the lane counts; see the module comment. */
export async function listTriage(db: Db, params: ListTriageParams): Promise<TriageView> {
  const limit = Math.min(100, Math.max(1, Math.floor(params.limit ?? 25)));
  const lane = params.lane ?? null;
  const oem = params.oem ?? null;
  const base = rankedGroups(oem);
  const conditions: SQL[] = [];
  if (lane) conditions.push(sql`lane_rank = ${laneRank(lane)}`);
  const cursor = params.cursor;
  if (cursor) conditions.push(sql`(lane_rank, ack_rank, -run_count, fingerprint) > (${cursor.laneRank}::int, ${cursor.ackRank}::int, ${-cursor.count}::int, ${cursor.fingerprint})`);
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;

  // One statement: the grouped CTE is computed once for the page and the lane counts.
  const [result] = await db.execute<{ page: GroupRow[] | null; lanes: Array<{ lane_rank: number; groups: number; runs: number; acknowledged: number }> | null }>(sql`${base},
    page as (
      select ranked.*, oems.label as oem_label, oems.color as oem_color, oems.monogram as oem_monogram
      from ranked left join oems on oems.id = ranked.oem_id
      ${where}
      order by lane_rank, ack_rank, run_count desc, fingerprint
      limit ${limit + 1}
    ),
    lanes as (
      select lane_rank, count(*)::int as groups, sum(run_count)::int as runs, (count(*) filter (where ack_rank = 1))::int as acknowledged
      from ranked group by lane_rank
    )
    select
      (select json_agg(page order by lane_rank, ack_rank, run_count desc, fingerprint) from page) as page,
      (select json_agg(lanes) from lanes) as lanes`);
  const pageRows = result?.page ?? [];
  const laneRows = result?.lanes ?? [];

  const rows = pageRows.slice(0, limit);
  const last = rows.at(-1);
  const nextCursor =
    pageRows.length > limit && last ? encodeCursor({ laneRank: last.lane_rank, ackRank: last.ack_rank === 1 ? 1 : 0, count: last.run_count, fingerprint: last.fingerprint }) : null;

  const [samples, batchRows] = rows.length > 0 ? await Promise.all([readSamples(db, rows, oem), readBatches(db, rows, oem)]) : [[], []];

  const groups = await Promise.all(
    rows.map(async (row): Promise<TriageGroup> => {
      const mine = samples.filter((s) => s.fingerprint === row.fingerprint);
      const errorClass = asErrorClass(row.error_class);
      // The newest failure that kept a screenshot, else the newest failure.
      const parsed = mine.map((s) => ({ row: s, failure: storedFailureSchema.safeParse(s.failure).data ?? null }));
      const withShot = parsed.find((p) => p.failure?.evidence.screenshot) ?? parsed.find((p) => p.failure);
      const mineBatches = batchRows.filter((b) => b.fingerprint === row.fingerprint);
      return {
        groupId: row.fingerprint,
        fingerprint: row.fingerprint,
        lane: laneFor(errorClass),
        errorClass,
        mixedClasses: row.class_count > 1,
        errorCode: row.error_code,
        oem: { id: row.oem_id, label: row.oem_label ?? row.oem_id, color: row.oem_color ?? "#64748b", monogram: row.oem_monogram ?? row.oem_id.slice(0, 2) },
        count: row.run_count,
        firstSeenAt: toDate(row.first_seen),
        lastSeenAt: toDate(row.last_seen),
        batches: {
          count: row.batch_count,
          recent: mineBatches.slice(0, GROUP_RECENT_BATCHES).map((b) => ({ id: b.batch_id, trigger: b.trigger, createdAt: new Date(b.created_at) })),
        },
        sample:
          withShot?.failure != null
            ? {
                runId: withShot.row.run_id,
                caseId: withShot.row.case_id,
                reference: withShot.row.reference,
                failure: await toFailureObject(withShot.failure, params.store, { ttlSeconds: params.ttlSeconds }),
              }
            : null,
        cases: mine.map((s) => ({
          runId: s.run_id,
          caseId: s.case_id,
          reference: s.reference,
          status: isOneOf(TERMINAL_FAIL_STATUSES, s.status) ? s.status : "failed",
          finishedAt: toDate(s.finished_at),
        })),
        runsHref: `/runs?fingerprint=${row.fingerprint}`,
        acknowledgement:
          row.acknowledged_at !== null && row.ack_note !== null && row.ack_actor !== null
            ? { ...acknowledgementState({ newSince: row.new_since }), note: row.ack_note, actor: row.ack_actor, acknowledgedAt: new Date(row.acknowledged_at) }
            : null,
      };
    }),
  );

  const { lanes, total } = summariseLanes(laneRows.map((r) => ({ laneRank: r.lane_rank, groups: r.groups, runs: r.runs, acknowledged: r.acknowledged })));
  let empty: TriageView["empty"] = null;
  if (total.groups === 0) {
    const lastBatch = await readLastBatch(db);
    empty = { sentence: nothingToTriageSentence(lastBatch), lastBatch };
  }
  return { generatedAt: params.now ?? new Date(), filters: { lane, oem }, lanes, total, groups, nextCursor, empty };
}

function fingerprintList(rows: readonly GroupRow[]): SQL {
  return sql.join(
    rows.map((r) => sql`(${r.fingerprint})`),
    sql`, `,
  );
}

/** The newest open runs of each page group (walks runs_fingerprint_idx per group). */
async function readSamples(db: Db, rows: readonly GroupRow[], oem: string | null): Promise<SampleRow[]> {
  const result = await db.execute<SampleRow>(sql`
    select f.fingerprint, s.run_id, s.case_id, s.reference, s.status, s.finished_at, s.failure
    from (values ${fingerprintList(rows)}) as f(fingerprint)
    cross join lateral (
      select o.id as run_id, o.case_id, c.reference, o.status, o.finished_at, o.failure
      from runs o join cases c on c.id = o.case_id
      where o.fingerprint = f.fingerprint and ${openTerminalFail("o")} and ${waitingCase("c")}${oem ? sql` and c.oem_id = ${oem}` : sql``}
      order by ${ORDER}
      limit ${GROUP_SAMPLE_CASES}
    ) s`);
  return [...result];
}

/** The batches each page group's open runs came from, newest batch first. */
async function readBatches(db: Db, rows: readonly GroupRow[], oem: string | null): Promise<BatchRow[]> {
  const result = await db.execute<BatchRow>(sql`
    with open_fails as (${openFailsFromCases({ oem })})
    select distinct o.fingerprint, b.id as batch_id, b.trigger, b.created_at
    from open_fails o join batches b on b.id = o.batch_id
    where o.fingerprint in (select fingerprint from (values ${fingerprintList(rows)}) as f(fingerprint))
    order by o.fingerprint, b.created_at desc`);
  return [...result];
}

/** The latest finished batch and its run counts (for the empty state). */
async function readLastBatch(db: Db): Promise<LastBatchFigures | null> {
  const result = await db.execute<{ id: string; trigger: BatchTrigger; parameters: unknown; finished_at: string | null; eligible: number; submitted: number; terminal_fails: number }>(sql`
    select b.id, b.trigger, b.parameters, b.finished_at,
      (select count(*)::int from runs r where r.batch_id = b.id) as eligible,
      (select count(*)::int from runs r where r.batch_id = b.id and r.status = 'submitted') as submitted,
      (select count(*)::int from runs r where r.batch_id = b.id and r.status in (${sql.join(
        TERMINAL_FAIL_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )})) as terminal_fails
    from batches b
    where b.status = 'finished'
    order by b.created_at desc
    limit 1`);
  const row = [...result][0];
  if (!row) return null;
  return {
    id: row.id,
    trigger: row.trigger,
    eligible: row.eligible,
    submitted: row.submitted,
    terminalFails: row.terminal_fails,
    dryRun: parseBatchPlan(row.parameters).dryRun,
    finishedAt: toDate(row.finished_at),
  };
}
