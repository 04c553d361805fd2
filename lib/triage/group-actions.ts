/**
 * What a person does to a triage group (a fingerprint's open terminal fails): retry every run in
 * it, override its class, acknowledge it with a note. Each is one transaction; retries and class
 * overrides are one `bulk_actions` row plus an audit row per run pointing at it.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { auditLog, bulkActions, runs, triageAcknowledgements } from "@/drizzle/schema";
import type { Database, Db } from "../db/client";
import { OPEN_RUN_STATUSES, type ErrorClass } from "../domain/vocabulary";
import { AppError } from "../errors/app-error";
import { humanize } from "../format/text";
import { withJobs, type JobQueue } from "../queue/job-queue";
import { classOverrideValues, OperatorActionError, retryRun } from "../runs/operator-actions";
import { laneFor, type TriageLane } from "./lanes";
import { openTerminalFail } from "./open-fails";
import { groupActionName } from "./summary";

/** A refusal of a group action: the route wrapper maps it (404 unknown group, 409 nothing to act on). */
export class TriageActionError extends AppError<"not_found" | "conflict"> {
  override name = "TriageActionError";
}

/** Audit rows are written in chunks (a group can hold thousands of runs). */
const AUDIT_CHUNK = 1_000;

interface MemberRow extends Record<string, unknown> {
  run_id: string;
  case_id: string;
  case_status: string;
  has_open: boolean;
  oem_label: string;
  error_class: ErrorClass | null;
}

/** The group's open runs, locked (and their cases), oldest failure first. */
async function lockMembers(tx: Db, fingerprint: string): Promise<MemberRow[]> {
  const rows = await tx.execute<MemberRow>(sql`
    select r.id as run_id, r.case_id, c.status as case_status, o.label as oem_label, r.error_class,
      exists (select 1 from runs x where x.case_id = r.case_id and x.status in (${sql.join(
        OPEN_RUN_STATUSES.map((s) => sql`${s}`),
        sql`, `,
      )})) as has_open
    from runs r join cases c on c.id = r.case_id join oems o on o.id = c.oem_id
    where r.fingerprint = ${fingerprint} and ${openTerminalFail("r")}
    order by r.finished_at nulls first, r.id
    for update of r, c`);
  return [...rows];
}

/** Throws for a group with no open run: 404 when no run ever had the fingerprint, else 409. */
async function refuseEmptyGroup(tx: Db, fingerprint: string, conflict: string): Promise<never> {
  const [known] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.fingerprint, fingerprint)).limit(1);
  if (!known) throw new TriageActionError("not_found", "No such triage group.");
  throw new TriageActionError("conflict", conflict);
}

async function insertAudit(tx: Db, rows: Array<typeof auditLog.$inferInsert>): Promise<void> {
  for (let i = 0; i < rows.length; i += AUDIT_CHUNK) await tx.insert(auditLog).values(rows.slice(i, i + AUDIT_CHUNK));
}

export interface GroupRetryResult {
  groupId: string;
  bulkActionId: string;
  /** Runs re-queued (a fresh run per case, through the per-portal session limits). */
  retried: number;
  /** Runs whose case was already open again or submitted. */
  skipped: number;
}

/**
 * Retries every run of a group after a fix: each through `retryRun` (a fresh run per case,
 * queued urgently; the worker's per-portal slot gate paces them), one bulk action, one audit row
 * per retried run. Cases already open again or submitted are skipped and counted; when nothing
 * can be retried it refuses (409) and changes nothing.
 */
export async function retryGroup(db: Database, queue: JobQueue, params: { fingerprint: string; actor: string; maxAttempts: number }): Promise<GroupRetryResult> {
  const bulkActionId = randomUUID();
  return withJobs(db, queue, async (tx) => {
    const members = await lockMembers(tx, params.fingerprint);
    if (members.length === 0) return refuseEmptyGroup(tx, params.fingerprint, "Nothing in this group can be retried: every case in it was retried or submitted since.");
    let retried = 0;
    let skipped = 0;
    for (const member of members) {
      if (member.has_open || member.case_status === "submitted") {
        skipped += 1;
        continue;
      }
      try {
        await retryRun(tx, queue, { runId: member.run_id, actor: params.actor, maxAttempts: params.maxAttempts, bulkActionId });
        retried += 1;
      } catch (error) {
        // retryRun's refusals (the case was submitted meanwhile) roll back its savepoint only.
        if (error instanceof OperatorActionError && error.code === "conflict") skipped += 1;
        else throw error;
      }
    }
    if (retried === 0) {
      throw new TriageActionError("conflict", `Nothing in this group can be retried: ${members.length === 1 ? "its case is" : `its ${members.length} cases are`} already queued again or submitted.`);
    }
    const first = members[0];
    await tx.insert(bulkActions).values({
      id: bulkActionId,
      action: "group_retry",
      name: groupActionName({ verb: "Retry", count: retried, oemLabel: first?.oem_label ?? null, classWords: first?.error_class ? humanize(first.error_class).toLowerCase() : null, fingerprint: params.fingerprint }),
      selection: { fingerprint: params.fingerprint },
      results: { retried, skipped },
      runCount: members.length,
      actor: params.actor,
    });
    return { groupId: params.fingerprint, bulkActionId, retried, skipped };
  });
}

export interface GroupClassResult {
  groupId: string;
  bulkActionId: string;
  errorClass: ErrorClass;
  /** The lane the group moves to. */
  lane: TriageLane;
  reclassified: number;
}

/**
 * Overrides the class of every open run of a group in one statement (the class column and the
 * failure object's copy); the fingerprint, and so the group, stays. One bulk action and an audit
 * row per run with the previous class and the reason. 409 when every run already has that class.
 */
export async function overrideGroupClass(db: Database, params: { fingerprint: string; errorClass: ErrorClass; reason: string; actor: string }): Promise<GroupClassResult> {
  const bulkActionId = randomUUID();
  return db.transaction(async (tx) => {
    const members = await lockMembers(tx, params.fingerprint);
    if (members.length === 0) return refuseEmptyGroup(tx, params.fingerprint, "Nothing in this group is open any more: every case in it was retried or submitted since.");
    if (members.every((m) => m.error_class === params.errorClass)) {
      throw new TriageActionError("conflict", `Every run in this group is already classed as ${humanize(params.errorClass).toLowerCase()}.`);
    }
    const updated = await tx
      .update(runs)
      .set(classOverrideValues(params.errorClass))
      .where(and(eq(runs.fingerprint, params.fingerprint), openTerminalFail("runs")))
      .returning({ id: runs.id });
    const from = new Map(members.map((m) => [m.run_id, m.error_class]));
    const first = members[0];
    await tx.insert(bulkActions).values({
      id: bulkActionId,
      action: "group_class",
      name: groupActionName({ verb: `Reclassify as ${humanize(params.errorClass).toLowerCase()}`, count: updated.length, oemLabel: first?.oem_label ?? null, classWords: null, fingerprint: params.fingerprint }),
      selection: { fingerprint: params.fingerprint },
      results: { reclassified: updated.length },
      runCount: updated.length,
      actor: params.actor,
    });
    await insertAudit(
      tx,
      updated.map((row) => ({
        actor: params.actor,
        action: "override_class",
        runId: row.id,
        bulkActionId,
        details: { from: from.get(row.id) ?? null, to: params.errorClass, reason: params.reason, fingerprint: params.fingerprint },
      })),
    );
    return { groupId: params.fingerprint, bulkActionId, errorClass: params.errorClass, lane: laneFor(params.errorClass), reclassified: updated.length };
  });
}

export interface GroupAcknowledgement {
  groupId: string;
  note: string;
  actor: string;
  acknowledgedAt: Date;
}

/** Marks a group as looked at, with a note (replacing an earlier one). Audited. It reopens when a failure is seen after it. */
export async function acknowledgeGroup(db: Database, params: { fingerprint: string; note: string; actor: string }): Promise<GroupAcknowledgement> {
  return db.transaction(async (tx) => {
    const [open] = await tx.execute<{ id: string }>(sql`select r.id from runs r where r.fingerprint = ${params.fingerprint} and ${openTerminalFail("r")} limit 1`);
    if (!open) return refuseEmptyGroup(tx, params.fingerprint, "Nothing in this group is open any more: there is nothing to acknowledge.");
    const [row] = await tx
      .insert(triageAcknowledgements)
      .values({ fingerprint: params.fingerprint, note: params.note, actor: params.actor, acknowledgedAt: sql`now()` })
      .onConflictDoUpdate({ target: triageAcknowledgements.fingerprint, set: { note: params.note, actor: params.actor, acknowledgedAt: sql`now()` } })
      .returning();
    if (!row) throw new Error("acknowledgement upsert returned nothing");
    await tx.insert(auditLog).values({ actor: params.actor, action: "triage.acknowledge", details: { fingerprint: params.fingerprint, note: params.note } });
    return { groupId: row.fingerprint, note: row.note, actor: row.actor, acknowledgedAt: row.acknowledgedAt };
  });
}

/** Clears a group's acknowledgement (audited); clearing one that is not there is a no-op. 404 for an unknown group. */
export async function clearAcknowledgement(db: Database, params: { fingerprint: string; actor: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const removed = await tx.delete(triageAcknowledgements).where(eq(triageAcknowledgements.fingerprint, params.fingerprint)).returning({ note: triageAcknowledgements.note });
    if (removed.length === 0) {
      const [known] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.fingerprint, params.fingerprint)).limit(1);
      if (!known) throw new TriageActionError("not_found", "No such triage group.");
      return;
    }
    await tx.insert(auditLog).values({ actor: params.actor, action: "triage.unacknowledge", details: { fingerprint: params.fingerprint, note: removed[0]?.note ?? null } });
  });
}
