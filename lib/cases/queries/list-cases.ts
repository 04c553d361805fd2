import { and, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { cases, oems, runs } from "@/drizzle/schema";
import type { Database } from "@/lib/db/client";
import { OPEN_RUN_STATUSES, type ErrorClass, type RunStatus } from "@/lib/domain/vocabulary";
import { CASE_LIST_PAGE_SIZE, type CaseListStatus } from "../case-list-statuses";

export interface CaseListOem {
  id: string;
  label: string;
  color: string;
  monogram: string;
}

export interface CaseListRun {
  id: string;
  status: RunStatus;
  attemptCount: number;
  maxAttempts: number;
  errorClass: ErrorClass | null;
  errorCode: string | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
}

export interface CaseListRow {
  id: string;
  reference: string;
  crmId: string;
  kind: string;
  /** Our status as shown: the latest run's while it is open, else the case's. */
  status: CaseListStatus;
  crmStatus: string;
  confirmationNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
  oem: CaseListOem;
  latestRun: CaseListRun | null;
}

export interface ListCasesParams {
  /** Case-insensitive substring of the reference or the CRM id. */
  q?: string | null;
  oem?: string | null;
  status?: CaseListStatus | null;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface CaseList {
  rows: CaseListRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** One row per case with its OEM and latest run, newest activity first, plus the filtered total. */
export async function listCases(db: Database, params: ListCasesParams = {}): Promise<CaseList> {
  const page = Math.max(1, Math.floor(params.page ?? 1));
  const pageSize = Math.min(200, Math.max(1, Math.floor(params.pageSize ?? CASE_LIST_PAGE_SIZE)));

  // The latest run of each case (lateral: one index probe per case on runs_case_idx).
  const latestRun = db
    .select({
      id: runs.id,
      status: runs.status,
      attemptCount: runs.attemptCount,
      maxAttempts: runs.maxAttempts,
      errorClass: runs.errorClass,
      errorCode: runs.errorCode,
      nextAttemptAt: runs.nextAttemptAt,
      finishedAt: runs.finishedAt,
    })
    .from(runs)
    .where(eq(runs.caseId, cases.id))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(1)
    .as("latest_run");

  const displayStatus = sql<CaseListStatus>`case when ${latestRun.status} in (${sql.join(
    OPEN_RUN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )}) then ${latestRun.status} else ${cases.status} end`;

  const filters: SQL[] = [];
  const q = params.q?.trim();
  if (q) filters.push(or(ilike(cases.reference, likePattern(q)), ilike(cases.crmId, likePattern(q)))!);
  if (params.oem) filters.push(eq(cases.oemId, params.oem));
  if (params.status) filters.push(sql`${displayStatus} = ${params.status}`);
  const where = filters.length > 0 ? and(...filters) : undefined;

  const [rows, totals] = await Promise.all([
    db
      .select({
        id: cases.id,
        reference: cases.reference,
        crmId: cases.crmId,
        kind: cases.kind,
        status: displayStatus,
        crmStatus: cases.crmStatus,
        confirmationNumber: cases.confirmationNumber,
        createdAt: cases.createdAt,
        updatedAt: cases.updatedAt,
        oemId: oems.id,
        oemLabel: oems.label,
        oemColor: oems.color,
        oemMonogram: oems.monogram,
        runId: latestRun.id,
        runStatus: latestRun.status,
        runAttemptCount: latestRun.attemptCount,
        runMaxAttempts: latestRun.maxAttempts,
        runErrorClass: latestRun.errorClass,
        runErrorCode: latestRun.errorCode,
        runNextAttemptAt: latestRun.nextAttemptAt,
        runFinishedAt: latestRun.finishedAt,
      })
      .from(cases)
      .innerJoin(oems, eq(oems.id, cases.oemId))
      .leftJoinLateral(latestRun, sql`true`)
      .where(where)
      .orderBy(desc(cases.updatedAt), desc(cases.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    params.status
      ? db.select({ total: count() }).from(cases).leftJoinLateral(latestRun, sql`true`).where(where)
      : db.select({ total: count() }).from(cases).where(where),
  ]);

  return {
    rows: rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      crmId: row.crmId,
      kind: row.kind,
      status: row.status,
      crmStatus: row.crmStatus,
      confirmationNumber: row.confirmationNumber,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      oem: { id: row.oemId, label: row.oemLabel, color: row.oemColor, monogram: row.oemMonogram },
      latestRun:
        row.runId && row.runStatus !== null
          ? {
              id: row.runId,
              status: row.runStatus,
              attemptCount: row.runAttemptCount ?? 0,
              maxAttempts: row.runMaxAttempts ?? 0,
              errorClass: row.runErrorClass,
              errorCode: row.runErrorCode,
              nextAttemptAt: row.runNextAttemptAt,
              finishedAt: row.runFinishedAt,
            }
          : null,
    })),
    total: totals[0]?.total ?? 0,
    page,
    pageSize,
  };
}
