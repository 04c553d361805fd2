/**
 * Pure pieces of the triage view: the group id, the keyset cursor over groups, a group's
 * acknowledgement state, and the empty state's sentence. The queries are in list-triage.ts.
 */
import { z } from "zod";
import type { BatchTrigger } from "../domain/vocabulary";
import { formatCount, formatCountOf } from "../format/number";
import { laneRank, TRIAGE_LANES, type TriageLane } from "./lanes";

/** A group id is its fingerprint: 16 lowercase hex characters (lib/runs/failure.ts). */
export const groupIdSchema = z.string().regex(/^[0-9a-f]{16}$/, "Not a triage group id (16 hex characters)");

/** Where a page of groups ends: the sort key of its last group (lane, acknowledged, count desc, fingerprint). */
export interface TriageCursor {
  laneRank: number;
  ackRank: 0 | 1;
  count: number;
  fingerprint: string;
}

const cursorSchema = z.strictObject({
  laneRank: z.number().int().min(0).max(TRIAGE_LANES.length - 1),
  ackRank: z.union([z.literal(0), z.literal(1)]),
  count: z.number().int().min(1),
  fingerprint: groupIdSchema,
});

export function encodeCursor(cursor: TriageCursor): string {
  return Buffer.from(JSON.stringify([cursor.laneRank, cursor.ackRank, cursor.count, cursor.fingerprint])).toString("base64url");
}

/** The cursor of a `?cursor=` value, or null when it is not one we issued. */
export function decodeCursor(value: string): TriageCursor | null {
  try {
    const raw: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(raw) || raw.length !== 4) return null;
    const [laneRank, ackRank, count, fingerprint] = raw as unknown[];
    const parsed = cursorSchema.safeParse({ laneRank, ackRank, count, fingerprint });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The query of `GET /api/triage` and of the page: filters and the keyset page. */
export const triageQuerySchema = z.object({
  lane: z.enum(TRIAGE_LANES, "Not a lane (engineering, ops, admin or infrastructure)").optional(),
  oem: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, "Not an OEM id")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => {
      const cursor = decodeCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: "Not a cursor this page handed out" });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
});
export type TriageQuery = z.infer<typeof triageQuerySchema>;

export interface Acknowledgement {
  note: string;
  actor: string;
  acknowledgedAt: Date;
}

export type AcknowledgementState =
  /** Looked at, nothing new since: shown collapsed. */
  | { state: "acknowledged"; newSince: 0 }
  /** Failures were seen after it was acknowledged: shown open again, with the note. */
  | { state: "new_since"; newSince: number };

/** Whether an acknowledged group stays collapsed: only while no failure was seen after it. */
export function acknowledgementState(params: { newSince: number }): AcknowledgementState {
  return params.newSince > 0 ? { state: "new_since", newSince: params.newSince } : { state: "acknowledged", newSince: 0 };
}

/** The latest finished batch, as the empty state tells it. */
export interface LastBatchFigures {
  id: string;
  trigger: BatchTrigger;
  eligible: number;
  submitted: number;
  terminalFails: number;
  dryRun: boolean;
  finishedAt: Date | null;
}

/** The empty state's sentence: what happened, from the latest finished batch when there is one. */
export function nothingToTriageSentence(batch: LastBatchFigures | null): string {
  if (!batch || batch.eligible === 0) return "Nothing to triage: no terminal fail is waiting for a person.";
  const from = batch.trigger === "cron" ? "from last night" : "from the latest batch";
  if (batch.dryRun) return `Nothing to triage: the latest batch was a dry run over ${formatCountOf(batch.eligible, "case")}, and no terminal fail is waiting for a person.`;
  if (batch.submitted === batch.eligible) {
    return batch.eligible === 1 ? `Nothing to triage: the one case ${from} was submitted.` : `Nothing to triage: all ${formatCount(batch.eligible)} cases ${from} were submitted.`;
  }
  const fails = batch.terminalFails > 0 ? `; its ${formatCountOf(batch.terminalFails, "terminal fail")} ${batch.terminalFails === 1 ? "has" : "have"} been retried or resolved since` : "";
  return `Nothing to triage: ${formatCount(batch.submitted)} of ${formatCountOf(batch.eligible, "case")} ${from} were submitted${fails}.`;
}

/** The name of a bulk action on a group, e.g. "Retry 12 Arden Motors site changed runs (group 1a2b3c4d…)". */
export function groupActionName(params: { verb: string; count: number; oemLabel: string | null; classWords: string | null; fingerprint: string }): string {
  const what = [params.oemLabel, params.classWords].filter(Boolean).join(" ");
  return `${params.verb} ${formatCountOf(params.count, `${what ? `${what} ` : ""}run`)} (group ${params.fingerprint.slice(0, 8)}…)`;
}

export interface LaneSummary {
  lane: TriageLane;
  groups: number;
  runs: number;
  /** Groups acknowledged with nothing new since. */
  acknowledged: number;
}

/** Every lane in page order (zeros for a lane without groups) and the totals, from SQL's per-lane counts. */
export function summariseLanes(rows: ReadonlyArray<{ laneRank: number; groups: number; runs: number; acknowledged: number }>): { lanes: LaneSummary[]; total: { groups: number; runs: number } } {
  const lanes = TRIAGE_LANES.map((lane) => {
    const found = rows.filter((r) => r.laneRank === laneRank(lane));
    const sum = (key: "groups" | "runs" | "acknowledged") => found.reduce((n, r) => n + r[key], 0);
    return { lane, groups: sum("groups"), runs: sum("runs"), acknowledged: sum("acknowledged") };
  });
  return { lanes, total: { groups: lanes.reduce((n, l) => n + l.groups, 0), runs: lanes.reduce((n, l) => n + l.runs, 0) } };
}

export type { TriageLane };
