/**
 * The morning digest of a batch: what was submitted, the terminal fails grouped by OEM ×
 * fingerprint with who must act on each group, a one-sentence headline, and whether the batch met
 * its SLA (every eligible case submitted or explained before the deadline). Built once — at the
 * deadline, or when the batch finishes or is cancelled — and stored on the batch.
 *
 * The grouping, the owners and the headline are pure (`groupTerminalFails`, `ownerFor`,
 * `digestHeadline`); `buildMorningDigest` reads the batch with two grouped queries and is guarded
 * so a second call changes nothing.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { alerts, batches, cases, outbox, runs, scheduleSettings } from "@/drizzle/schema";
import { toFailureObject } from "../artifacts/failure-links";
import { ARTIFACT_LINK_TTL_SECONDS } from "../artifacts/signed-urls";
import type { ArtifactStore } from "../artifacts/store";
import { enqueueCrmUpdate } from "../crm/outbox";
import type { Db } from "../db/client";
import { storedFailureSchema, type StoredFailure } from "../domain/types";
import { OPEN_RUN_STATUSES, TERMINAL_FAIL_STATUSES, type DigestOwner, type ErrorClass, type RunStatus, type TerminalFailStatus } from "../domain/vocabulary";
import { formatDuration } from "../format/duration";
import { formatCount, formatCountOf } from "../format/number";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { failureNoteText } from "../runs/failure";
import { routeFor } from "../runs/taxonomy";
import { DEFAULT_SCHEDULE } from "../schedule/schedule";
import type { DigestGroup, MorningDigest } from "./digest-types";
import { parseBatchPlan } from "./recipe";

// ---------------------------------------------------------------------------------------------
// Pure parts

/** Who must act on a terminal fail, by its class's route (lib/runs/taxonomy.ts). */
export function ownerFor(errorClass: ErrorClass | null): DigestOwner {
  // A terminal fail without a class is our own gap: engineering.
  if (errorClass === null) return "engineering";
  switch (routeFor(errorClass)) {
    case "needs_review":
      return "ops"; // the portal refused the data: a person corrects the case in the CRM
    case "park":
      return "engineering"; // site changed, adapter bug
    case "pause_portal":
      return "admin"; // credentials refused: the portal account
    case "retry":
      return "ops"; // a flake or infra failure that outlasted its attempts: ops retries it
  }
}

export interface TerminalFailRow {
  runId: string;
  caseId: string;
  reference: string;
  oemId: string;
  status: TerminalFailStatus;
  errorClass: ErrorClass | null;
  errorCode: string | null;
  failure: StoredFailure | null;
}

/** Terminal fails grouped by OEM × fingerprint, largest group first (then by OEM and fingerprint). */
export function groupTerminalFails(rows: readonly TerminalFailRow[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const row of rows) {
    const errorClass = row.errorClass ?? row.failure?.errorClass ?? null;
    const errorCode = row.errorCode ?? row.failure?.code ?? null;
    // Without a failure object there is no fingerprint: group such runs by class and code.
    const fingerprint = row.failure?.fingerprint ?? `unexplained:${errorClass ?? "unknown"}:${errorCode ?? "-"}`;
    const key = `${row.oemId}|${fingerprint}`;
    let group = groups.get(key);
    if (!group) {
      group = { oemId: row.oemId, fingerprint, errorClass, errorCode, owner: ownerFor(errorClass), count: 0, runs: [] };
      groups.set(key, group);
    }
    group.count += 1;
    group.runs.push({ runId: row.runId, caseId: row.caseId, reference: row.reference, status: row.status, failure: row.failure });
  }
  for (const group of groups.values()) group.runs.sort((a, b) => a.reference.localeCompare(b.reference));
  return [...groups.values()].sort((a, b) => b.count - a.count || a.oemId.localeCompare(b.oemId) || a.fingerprint.localeCompare(b.fingerprint));
}

/** "7:40 AM" in the given IANA zone; "7:40 AM CST" with `zone` (sentences name the zone once, at the deadline). */
export function formatClockTime(date: Date, timeZone: string, options: { zone?: boolean } = {}): string {
  return new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone, ...(options.zone ? { timeZoneName: "short" } : {}) }).format(date);
}

/** A margin in words, to the minute: "1 h 12 min", "40 min", "less than a minute". */
export function formatMargin(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return minutes === 0 ? "less than a minute" : formatDuration(minutes * 60_000);
}

export interface HeadlineInput {
  reason: MorningDigest["reason"];
  dryRun: boolean;
  eligible: number;
  submitted: number;
  rehearsed: number;
  terminalFails: number;
  /** Terminal fails without a failure object (they do not count as explained). */
  unexplained: number;
  unfinished: number;
  cancelled: number;
  metSla: boolean;
  deadline: Date | null;
  /** When the last run settled (finished), or when the batch was cancelled. */
  endedAt: Date | null;
  owners: Partial<Record<DigestOwner, number>>;
  timeZone: string;
}

const OWNER_WORDS: Record<DigestOwner, string> = { ops: "ops", engineering: "engineering", admin: "an admin" };

/** One sentence for executives, e.g. "All 412 cases filed by 5:48 AM, 1 h 12 min before the 7:00 AM deadline." */
export function digestHeadline(input: HeadlineInput): string {
  const at = (date: Date) => formatClockTime(date, input.timeZone);
  const atZoned = (date: Date) => formatClockTime(date, input.timeZone, { zone: true });
  const verb = input.dryRun ? "rehearsed" : "filed";
  const done = input.dryRun ? input.rehearsed + input.submitted : input.submitted;
  const prefix = input.dryRun ? "Dry run: " : "";
  const needPerson = (n: number) => `${formatCount(n)} ${n === 1 ? "needs" : "need"} a person`;
  const owners = (Object.entries(input.owners) as Array<[DigestOwner, number]>)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([owner, n]) => `${formatCount(n)} for ${OWNER_WORDS[owner]}`);
  const fails = input.terminalFails > 0 ? `${needPerson(input.terminalFails)}${owners.length > 0 ? ` (${owners.join(", ")})` : ""}` : null;
  const doneOf = done === input.eligible ? `All ${formatCountOf(input.eligible, "case")}` : `${formatCount(done)} of ${formatCountOf(input.eligible, "case")}`;

  if (input.eligible === 0) return `${prefix}Nothing to file: no case was waiting.`;

  if (input.reason === "cancelled") {
    const parts = [`${formatCount(done)} of ${formatCountOf(input.eligible, "case")} ${verb}`, fails ? needPerson(input.terminalFails) : null, input.cancelled > 0 ? `${formatCount(input.cancelled)} not ${verb}` : null].filter(Boolean);
    return `${prefix}The batch was cancelled${input.endedAt ? ` at ${atZoned(input.endedAt)}` : ""}: ${parts.join(", ")}.`;
  }

  if (input.reason === "deadline" && input.unfinished > 0) {
    const parts = [fails ? needPerson(input.terminalFails) : null, `${formatCount(input.unfinished)} ${input.unfinished === 1 ? "was" : "were"} still open`].filter(Boolean);
    return `${prefix}Deadline missed: at ${input.deadline ? atZoned(input.deadline) : "the deadline"} ${formatCount(done)} of ${formatCountOf(input.eligible, "case")} ${done === 1 ? "was" : "were"} ${verb}, ${parts.join(" and ")}.`;
  }

  // Every run settled.
  const by = input.endedAt ? ` by ${input.deadline ? at(input.endedAt) : atZoned(input.endedAt)}` : "";
  const margin =
    input.deadline && input.endedAt
      ? input.endedAt.getTime() <= input.deadline.getTime()
        ? `, ${formatMargin(input.deadline.getTime() - input.endedAt.getTime())} before the ${atZoned(input.deadline)} deadline`
        : `, ${formatMargin(input.endedAt.getTime() - input.deadline.getTime())} after the ${atZoned(input.deadline)} deadline`
      : "";
  const late = input.deadline !== null && input.endedAt !== null && input.endedAt.getTime() > input.deadline.getTime();
  if (late) return `${prefix}All ${formatCountOf(input.eligible, "case")} settled${by}${margin}: ${formatCount(done)} ${verb}${fails ? `, ${needPerson(input.terminalFails)}` : ""}.`;
  const unexplained = input.unexplained > 0 ? `; ${formatCount(input.unexplained)} failed without an explanation` : "";
  const sentence = `${doneOf} ${verb}${by}${margin}${fails ? `; ${fails}` : ""}${unexplained}.`;
  return prefix ? `${prefix}${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence;
}

// ---------------------------------------------------------------------------------------------
// Building it

/** The zone digests and alerts speak in: the nightly schedule's, else the default schedule's. */
export async function getReportTimeZone(db: Db): Promise<string> {
  const [row] = await db.select({ timeZone: scheduleSettings.timeZone }).from(scheduleSettings).where(eq(scheduleSettings.id, "nightly"));
  return row?.timeZone ?? DEFAULT_SCHEDULE.timeZone;
}

export interface BuildDigestDeps {
  /** Signs the artifact links of a CRM note the digest has to post. */
  store: Pick<ArtifactStore, "signedUrl">;
  now?: Date;
  /** Defaults to the schedule's zone. */
  timeZone?: string;
}

export type BuildDigestResult =
  | { kind: "built"; digest: MorningDigest; notesPosted: number }
  | { kind: "already_built"; digest: MorningDigest | null }
  /** Runs are still open and the deadline has not come (or there is none). */
  | { kind: "not_due" }
  | { kind: "not_found" };

/** The CRM note key fail-run uses: the digest posts a missing note under the same key, so it is posted once. */
export function failureNoteKey(caseId: string, runId: string): string {
  return `nightshift:${caseId}:note:${runId}`;
}

/**
 * Builds and stores a batch's morning digest once it is due (deadline passed, batch finished or
 * cancelled). Idempotent: the batch row is locked and only written while `digest_built_at` is null.
 * Every terminal fail must have its CRM note (fail-run writes one with 7-day signed links); any
 * that lacks one gets it now, through the outbox, under fail-run's idempotency key.
 */
export async function buildMorningDigest(db: Db, queue: JobQueue, deps: BuildDigestDeps, params: { batchId: string }): Promise<BuildDigestResult> {
  const now = deps.now ?? new Date();
  const timeZone = deps.timeZone ?? (await getReportTimeZone(db));
  return withJobs(db, queue, async (tx): Promise<BuildDigestResult> => {
    const [batch] = await tx
      .select({
        id: batches.id,
        status: batches.status,
        deadline: batches.deadline,
        parameters: batches.parameters,
        digest: batches.digest,
        digestBuiltAt: batches.digestBuiltAt,
        cancelledAt: batches.cancelledAt,
        atRiskSince: batches.atRiskSince,
      })
      .from(batches)
      .where(eq(batches.id, params.batchId))
      .for("update");
    if (!batch) return { kind: "not_found" };
    if (batch.digestBuiltAt) return { kind: "already_built", digest: batch.digest };

    const deadline = batch.deadline;
    // Explained in time: submitted, rehearsed, or a terminal fail with its failure object, before the deadline.
    const inTime = deadline ? sql`${runs.finishedAt} <= ${deadline.toISOString()}::timestamptz` : sql`true`;
    const statusRows = await tx
      .select({
        status: runs.status,
        count: sql<number>`count(*)::int`,
        explainedInTime: sql<number>`(count(*) filter (where ${runs.finishedAt} is not null and ${inTime} and (${runs.status} in ('submitted', 'rehearsed') or (${inArray(runs.status, [...TERMINAL_FAIL_STATUSES])} and ${runs.failure} is not null))))::int`,
        unexplained: sql<number>`(count(*) filter (where ${inArray(runs.status, [...TERMINAL_FAIL_STATUSES])} and ${runs.failure} is null))::int`,
        lastFinishedAt: sql<string | null>`max(${runs.finishedAt})`,
      })
      .from(runs)
      .where(eq(runs.batchId, batch.id))
      .groupBy(runs.status);
    const count = (statuses: readonly RunStatus[]) => statusRows.filter((r) => statuses.includes(r.status)).reduce((n, r) => n + r.count, 0);
    const eligible = statusRows.reduce((n, r) => n + r.count, 0);
    const unfinished = count(OPEN_RUN_STATUSES);
    const reason: MorningDigest["reason"] | null =
      batch.status === "cancelled" ? "cancelled" : unfinished === 0 ? "finished" : deadline && now.getTime() >= deadline.getTime() ? "deadline" : null;
    if (reason === null) return { kind: "not_due" };

    const failRows = await tx
      .select({ runId: runs.id, caseId: runs.caseId, reference: cases.reference, oemId: cases.oemId, status: runs.status, errorClass: runs.errorClass, errorCode: runs.errorCode, failure: runs.failure })
      .from(runs)
      .innerJoin(cases, eq(cases.id, runs.caseId))
      .where(and(eq(runs.batchId, batch.id), inArray(runs.status, [...TERMINAL_FAIL_STATUSES])));
    const terminalFails: TerminalFailRow[] = failRows.map((r) => ({
      ...r,
      status: r.status as TerminalFailStatus,
      // Rows may be older than the code: a failure that does not parse counts as missing.
      failure: r.failure ? (storedFailureSchema.safeParse(r.failure).data ?? null) : null,
    }));

    const notesPosted = await postMissingFailureNotes(tx, deps.store, terminalFails);

    const groups = groupTerminalFails(terminalFails);
    const owners: Partial<Record<DigestOwner, number>> = {};
    for (const group of groups) owners[group.owner] = (owners[group.owner] ?? 0) + group.count;
    const explainedInTime = statusRows.reduce((n, r) => n + r.explainedInTime, 0);
    const unexplained = statusRows.reduce((n, r) => n + r.unexplained, 0);
    const metSla = explainedInTime === eligible;
    const lastFinishedAt = statusRows.reduce<Date | null>((latest, r) => {
      const at = r.lastFinishedAt ? new Date(r.lastFinishedAt) : null;
      return at && (!latest || at > latest) ? at : latest;
    }, null);
    const summary = {
      eligible,
      submitted: count(["submitted"]),
      rehearsed: count(["rehearsed"]),
      unfinished: reason === "deadline" ? unfinished : 0,
      cancelled: count(["cancelled"]),
      terminalFails: terminalFails.length,
    };
    const digest: MorningDigest = {
      builtAt: now.toISOString(),
      reason,
      deadline: deadline?.toISOString() ?? null,
      ...summary,
      metSla,
      headline: digestHeadline({
        reason,
        dryRun: parseBatchPlan(batch.parameters).dryRun,
        ...summary,
        unfinished,
        unexplained,
        metSla,
        deadline,
        endedAt: reason === "cancelled" ? (batch.cancelledAt ?? now) : lastFinishedAt,
        owners,
        timeZone,
      }),
      groups,
    };
    const written = await tx
      .update(batches)
      .set({ digest, digestBuiltAt: now, metSla })
      .where(and(eq(batches.id, batch.id), isNull(batches.digestBuiltAt)))
      .returning({ id: batches.id });
    if (written.length === 0) return { kind: "already_built", digest: null };
    // The at-risk warning has done its job once the night's outcome is known. (Alerts carry no
    // batch id: the ones raised since this batch went at risk are this batch's.)
    if (batch.atRiskSince) {
      await tx
        .update(alerts)
        .set({ resolvedAt: now })
        .where(and(eq(alerts.kind, "batch_at_risk"), isNull(alerts.resolvedAt), sql`${alerts.createdAt} >= ${batch.atRiskSince.toISOString()}::timestamptz`));
    }
    return { kind: "built", digest, notesPosted };
  });
}

/** Queues the CRM note of every terminal fail that has none yet (fail-run's key, so at most once). */
async function postMissingFailureNotes(tx: Db, store: Pick<ArtifactStore, "signedUrl">, rows: readonly TerminalFailRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const keys = rows.map((r) => failureNoteKey(r.caseId, r.runId));
  const existing = new Set<string>();
  // By idempotency key: the unique index answers it, whatever the outbox's size.
  for (let i = 0; i < keys.length; i += 1_000) {
    const found = await tx.select({ key: outbox.idempotencyKey }).from(outbox).where(inArray(outbox.idempotencyKey, keys.slice(i, i + 1_000)));
    for (const row of found) existing.add(row.key);
  }
  let posted = 0;
  for (const row of rows) {
    const key = failureNoteKey(row.caseId, row.runId);
    if (existing.has(key)) continue;
    const body = row.failure
      ? failureNoteText(await toFailureObject(row.failure, store, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.crmNote }))
      : `Nightshift could not submit this case (${row.errorClass ?? "unclassified"}${row.errorCode ? `, ${row.errorCode}` : ""}). No failure details were recorded; engineering should look at the run.`;
    const id = await enqueueCrmUpdate(tx, { kind: "note", caseId: row.caseId, runId: row.runId, idempotencyKey: key, payload: { body, kind: "nightshift_failure" } });
    if (id) posted += 1;
  }
  return posted;
}
