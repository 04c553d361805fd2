/**
 * The runs view's parameters — one contract for the `/runs` URL, `GET /api/runs` and the filter of
 * a bulk action (`POST /api/runs/bulk`). Other pages link here with them (a batch's runs, a triage
 * group's fingerprint), so every field is honoured and a bad value is a field error, never a
 * silently different list.
 */
import { z } from "zod";
import type { FieldErrors } from "../../errors/app-error";
import { fieldErrorsOf } from "../../http/zod-issues";
import { ERROR_CLASSES, RUN_STATUSES, type ErrorClass, type RunStatus } from "../../domain/vocabulary";

export const RUN_LIST_DEFAULT_LIMIT = 50;
export const RUN_LIST_MAX_LIMIT = 200;

/** What selects runs (everything but the page): the filter a bulk action can act on. */
export interface RunListFilter {
  oem: string | null;
  /** Any of these statuses; empty: every status. */
  status: RunStatus[];
  errorClass: ErrorClass | null;
  /** A batch id. */
  batch: string | null;
  /** Created on or after: an ISO date (a UTC day) or an ISO date-time, as given. */
  from: string | null;
  /** Created on or before: an ISO date (the whole UTC day) or an ISO date-time, as given. */
  to: string | null;
  /** Part of a case reference (case-insensitive). */
  q: string | null;
  /** A triage group's fingerprint. */
  fingerprint: string | null;
}

/** A keyset position over (created_at, id), newest first: rows after (older than) or before (newer than) it. */
export interface RunListCursor {
  direction: "after" | "before";
  /** created_at of the anchor row, to the microsecond (ISO, UTC). */
  createdAt: string;
  id: string;
}

export interface RunListParams extends RunListFilter {
  cursor: RunListCursor | null;
  limit: number;
}

export const EMPTY_RUN_LIST_FILTER: RunListFilter = { oem: null, status: [], errorClass: null, batch: null, from: null, to: null, q: null, fingerprint: null };

// ---------------------------------------------------------------------------------------------
// Cursor: opaque to callers (base64url JSON), strict when read back.

const cursorSchema = z.strictObject({
  d: z.enum(["after", "before"]),
  t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/),
  i: z.uuid(),
});

export function encodeRunListCursor(cursor: RunListCursor): string {
  return Buffer.from(JSON.stringify({ d: cursor.direction, t: cursor.createdAt, i: cursor.id }), "utf8").toString("base64url");
}

/** The cursor in a URL, or null when it is not one we made. */
export function decodeRunListCursor(value: string): RunListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(value)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    if (!parsed.success || Number.isNaN(Date.parse(parsed.data.t))) return null;
    return { direction: parsed.data.d, createdAt: parsed.data.t, id: parsed.data.i };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date that exists ("2026-02-30" does not). */
function isRealDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function isRunListDate(value: string): boolean {
  return isRealDate(value) || (ISO_DATE_TIME.test(value) && isRealDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)));
}

/** The instants a filter's dates stand for: `createdFrom` inclusive, `createdBefore` exclusive (a date `to` covers its whole day). */
export function runListDateBounds(filter: Pick<RunListFilter, "from" | "to">): { createdFrom: Date | null; createdBefore: Date | null } {
  const createdFrom = filter.from ? new Date(ISO_DATE.test(filter.from) ? `${filter.from}T00:00:00.000Z` : filter.from) : null;
  let createdBefore: Date | null = null;
  if (filter.to) {
    createdBefore = ISO_DATE.test(filter.to) ? new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 24 * 60 * 60 * 1000) : new Date(Date.parse(filter.to) + 1);
  }
  return { createdFrom, createdBefore };
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** A URL parameter arrives as a string, a repeated string or nothing; JSON may send an array. */
function listOf(value: unknown): unknown {
  if (value === undefined || value === null) return [];
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  return values.flatMap((v) => (typeof v === "string" ? v.split(",") : [v])).map((v) => (typeof v === "string" ? v.trim() : v)).filter((v) => v !== "");
}

/** One value: the first of repeated ones; an empty string counts as absent. */
function single(value: unknown): unknown {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof first === "string" && first.trim() === "") return undefined;
  return first ?? undefined;
}

const optional = <S extends z.ZodType>(schema: S) => z.preprocess(single, schema.optional());

const filterShape = {
  oem: optional(z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, "Not an OEM id")),
  status: z.preprocess(
    listOf,
    z
      .array(z.enum(RUN_STATUSES, { error: `Not a run status (one of ${RUN_STATUSES.join(", ")})` }))
      .max(RUN_STATUSES.length * 2, "Too many statuses")
      .transform((statuses) => [...new Set(statuses)]),
  ),
  errorClass: optional(z.enum(ERROR_CLASSES, { error: `Not an error class (one of ${ERROR_CLASSES.join(", ")})` })),
  batch: optional(z.uuid("Not a batch id")),
  from: optional(z.string().trim().refine(isRunListDate, "Not a date (use YYYY-MM-DD)")),
  to: optional(z.string().trim().refine(isRunListDate, "Not a date (use YYYY-MM-DD)")),
  q: optional(z.string().trim().max(100, "At most 100 characters")),
  fingerprint: optional(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9:_.-]{1,200}$/, "Not a fingerprint"),
  ),
};

function checkDateOrder(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (!value.from || !value.to) return;
  const { createdFrom, createdBefore } = runListDateBounds({ from: value.from, to: value.to });
  if (createdFrom && createdBefore && createdFrom.getTime() >= createdBefore.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "Must not be before “from”" });
}

type ParsedFilter = z.output<z.ZodObject<typeof filterShape>>;

function toFilter(value: ParsedFilter): RunListFilter {
  return {
    oem: value.oem ?? null,
    status: value.status,
    errorClass: value.errorClass ?? null,
    batch: value.batch ?? null,
    from: value.from ?? null,
    to: value.to ?? null,
    q: value.q ?? null,
    fingerprint: value.fingerprint ?? null,
  };
}

/** The URL / query-string parameters (unknown keys are ignored, as links may carry others). */
export const runListQuerySchema = z
  .object({
    ...filterShape,
    cursor: optional(z.string().transform((value, ctx) => decodeRunListCursor(value) ?? (ctx.addIssue({ code: "custom", message: "Not a valid page link; start again from the newest runs" }), z.NEVER))),
    limit: optional(z.coerce.number({ error: "Not a number" }).int("Must be a whole number").min(1, "At least 1").max(RUN_LIST_MAX_LIMIT, `At most ${RUN_LIST_MAX_LIMIT}`)),
  })
  .superRefine(checkDateOrder)
  .transform((value): RunListParams => ({ ...toFilter(value), cursor: value.cursor ?? null, limit: value.limit ?? RUN_LIST_DEFAULT_LIMIT }));

/** A bulk action's filter as JSON: the same fields, nothing else (a page cursor selects nothing). */
export const runListFilterSchema = z.strictObject(filterShape).superRefine(checkDateOrder).transform(toFilter);

export type RunListParamsResult = { ok: true; params: RunListParams } | { ok: false; message: string; fields: FieldErrors };

/** Parses the page's `searchParams`; never throws (the page shows what is wrong). */
export function parseRunListParams(raw: Record<string, string | string[] | undefined>): RunListParamsResult {
  const parsed = runListQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, params: parsed.data };
  // By parameter name ("status", not "status.0"): that is what a person sees in the link.
  const fields: FieldErrors = {};
  for (const [path, messages] of Object.entries(fieldErrorsOf(parsed.error))) (fields[path.split(".")[0] ?? path] ??= []).push(...messages);
  return { ok: false, fields, message: Object.entries(fields).map(([key, messages]) => `${key}: ${messages.join(", ")}`).join("; ") };
}

/** True when the filter selects something narrower than every run. */
export function isFilterActive(filter: RunListFilter): boolean {
  return Boolean(filter.oem || filter.status.length > 0 || filter.errorClass || filter.batch || filter.from || filter.to || filter.q || filter.fingerprint);
}
