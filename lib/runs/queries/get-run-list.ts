import { asc, eq, sql } from "drizzle-orm";
import { batches, oems } from "@/drizzle/schema";
import type { ArtifactStore } from "../../artifacts/store";
import type { Db } from "../../db/client";
import type { BatchTrigger } from "../../domain/vocabulary";
import { countRuns, listRuns, type RunListRow } from "./list-runs";
import type { RunListFilter, RunListParams } from "./run-list-params";

export interface RunListOem {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

export interface RunListItem extends Omit<RunListRow, "screenshotKey"> {
  /** A signed, expiring link to the failure screenshot (terminal fails only). */
  screenshotUrl: string | null;
}

export interface RunList {
  filter: RunListFilter;
  limit: number;
  /** Whether this is a page further down than the newest one. */
  paged: boolean;
  rows: RunListItem[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** Runs matching the filter, counted up to 10,000 (`capped`: more than that). */
  count: { value: number; capped: boolean };
  /** Every OEM, for the filter menu. */
  oems: RunListOem[];
  /** The filtered batch, to name it in words (null: no batch filter, or no such batch). */
  batch: { id: string; trigger: BatchTrigger; createdAt: Date } | null;
  /** Whether any run exists at all (tells "nothing yet" from "nothing matches"). */
  anyRuns: boolean;
}

/**
 * Everything the runs view shows — `/runs` and `GET /api/runs` answer the same: the page of runs
 * (screenshot links signed now, valid `ttlSeconds`), the cursors, a capped count, the OEM options
 * and the filtered batch. Five small queries, run concurrently.
 */
export async function getRunList(db: Db, params: RunListParams & { store: Pick<ArtifactStore, "signedUrl">; ttlSeconds: number }): Promise<RunList> {
  const { cursor, limit, store, ttlSeconds, ...filter } = params;
  const [page, count, oemRows, batchRows, any] = await Promise.all([
    listRuns(db, { filter, cursor, limit }),
    countRuns(db, filter),
    db.select({ id: oems.id, label: oems.label, color: oems.color, monogram: oems.monogram }).from(oems).orderBy(asc(oems.label)),
    filter.batch ? db.select({ id: batches.id, trigger: batches.trigger, createdAt: batches.createdAt }).from(batches).where(eq(batches.id, filter.batch)) : Promise.resolve([]),
    db.execute<{ any: boolean }>(sql`select exists (select 1 from runs) as any`),
  ]);
  const rows = await Promise.all(
    page.rows.map(async ({ screenshotKey, ...row }) => ({ ...row, screenshotUrl: screenshotKey ? await store.signedUrl(screenshotKey, { ttlSeconds }) : null })),
  );
  return {
    filter,
    limit,
    paged: page.prevCursor !== null,
    rows,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    count,
    oems: oemRows,
    batch: batchRows[0] ?? null,
    anyRuns: any[0]?.any ?? false,
  };
}
