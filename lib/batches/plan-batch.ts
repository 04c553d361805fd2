import { eq, sql, type SQL } from "drizzle-orm";
import { batches } from "@/drizzle/schema";
import type { Db } from "../db/client";
import { OPEN_RUN_STATUSES, TERMINAL_FAIL_STATUSES, type BatchOrder, type BatchTrigger } from "../domain/vocabulary";
import { addJobAfterCommit, withJobs, type JobQueue } from "../queue/job-queue";
import { submitCaseJob } from "../queue/specs";
import { PRIORITY } from "../queue/tasks";
import type { BatchPlan } from "./recipe";

/** The local night a nightly batch belongs to (see lib/schedule). */
export interface NightSlot {
  /** "YYYY-MM-DD": the local date of the slot in the schedule's zone; unique among batches. */
  key: string;
  scheduledFor: Date;
  backfilled: boolean;
  late: boolean;
}

export interface PlanBatchParams {
  trigger: BatchTrigger;
  /** The effective recipe (saved recipe, or Run now's change of it), with `caseIds` for specific cases. */
  plan: BatchPlan;
  /** The saved recipe version `plan` came from (null when none is saved). */
  recipeVersion: number | null;
  deadline: Date | null;
  /** Who started it: a person's id, or "schedule" / "system". */
  createdBy: string;
  /** Run now's instruction in words, when the parameters came from one (stored on `batches.instruction`). */
  instruction?: string | null;
  /** Attempts per run when the plan has no retry override (the deployment's retry policy). */
  defaultMaxAttempts: number;
  /** Nightly batches: at most one per night key. */
  night?: NightSlot;
  /** The batch's start (its first attempts are due from then). */
  now?: Date;
  /** graphile-worker priority of the runs (default normal; Run now on chosen cases jumps the queue). */
  priority?: number;
}

export type PlanBatchResult =
  | { kind: "planned"; batchId: string; caseCount: number }
  /** Nothing eligible: no batch, except a nightly one, which is recorded (finished, empty) so the night counts as done. */
  | { kind: "nothing_to_file"; batchId: string | null }
  /** A batch for this night exists already (another worker, an earlier tick). */
  | { kind: "night_exists"; batchId: string };

/** The planned order of a batch, always ending in the stable tie-break oldest, then id. */
export function orderByFor(order: BatchOrder): SQL {
  switch (order) {
    case "redaction_first":
      return sql`c.redaction_sensitive desc, c.created_at, c.id`;
    case "urgent_first":
      return sql`(c.crm_priority = 'urgent') desc, c.created_at, c.id`;
    case "oldest_first":
      return sql`c.created_at, c.id`;
    default: {
      const never: never = order;
      throw new Error(`unknown batch order ${String(never)}`);
    }
  }
}

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
// Literal, not parameters: ON CONFLICT must prove it matches the partial index's predicate when the
// statement is planned, which it cannot do through bind parameters. Our own constants only.
const OPEN_STATUSES_SQL = sql.raw(OPEN_RUN_STATUSES.map((s) => `'${s}'`).join(", "));

/** Which cases a plan files: exactly `caseIds` (pending or in a terminal fail), else pending ones through the filters. */
function eligibleWhere(plan: BatchPlan): SQL {
  const openRun = sql`not exists (select 1 from runs r where r.case_id = c.id and r.status in (${OPEN_STATUSES_SQL}))`;
  if (plan.caseIds) {
    const ids = plan.caseIds.length > 0 ? plan.caseIds : ["00000000-0000-0000-0000-000000000000"];
    return sql`c.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) and c.status in ('pending', ${list(TERMINAL_FAIL_STATUSES)}) and ${openRun}`;
  }
  const filters = [sql`c.status = 'pending'`, openRun];
  if (plan.oemIds.length > 0) filters.push(sql`c.oem_id in (${list(plan.oemIds)})`);
  if (plan.caseKinds.length > 0) filters.push(sql`c.kind in (${list(plan.caseKinds)})`);
  return sql.join(filters, sql` and `);
}

/**
 * Plans a batch: selects the eligible cases (pending, filtered and ordered by the plan), creates
 * the batch row and one run per case, and queues their first attempts in the planned order.
 * Set-based: one INSERT … SELECT for the runs, one UPDATE for the cases, one `addJobs` after the
 * commit — a nightly batch of 10,000 cases is a handful of statements, not 10,000 round trips.
 */
export async function planBatch(db: Db, queue: JobQueue, params: PlanBatchParams): Promise<PlanBatchResult> {
  return withJobs(db, queue, async (tx) => {
    if (params.night) {
      const [existing] = await tx.select({ id: batches.id }).from(batches).where(eq(batches.nightKey, params.night.key));
      if (existing) return { kind: "night_exists", batchId: existing.id };
    }
    const inserted = await tx
      .insert(batches)
      .values({
        trigger: params.trigger,
        parameters: params.plan,
        recipeVersion: params.recipeVersion,
        deadline: params.deadline,
        createdBy: params.createdBy,
        instruction: params.instruction ?? null,
        nightKey: params.night?.key ?? null,
        scheduledFor: params.night?.scheduledFor ?? null,
        backfilled: params.night?.backfilled ?? false,
        late: params.night?.late ?? false,
        status: "running",
        startedAt: sql`now()`,
      })
      .onConflictDoNothing({ target: batches.nightKey, where: sql`night_key is not null` })
      .returning({ id: batches.id });
    const batch = inserted[0];
    if (!batch) {
      const [existing] = await tx.select({ id: batches.id }).from(batches).where(eq(batches.nightKey, params.night!.key));
      return { kind: "night_exists", batchId: existing!.id };
    }

    const maxAttempts = params.plan.retry?.maxAttempts ?? params.defaultMaxAttempts;
    const priority = params.priority ?? PRIORITY.normal;
    const orderBy = orderByFor(params.plan.order);
    // The partial unique index (one open run per case) settles a race with another planner or an
    // urgent webhook: the loser's row is skipped, never a second open run.
    const planned = await tx.execute<{ run_id: string; case_id: string; oem_id: string }>(sql`
      with inserted as (
        insert into runs (case_id, batch_id, priority, max_attempts, dry_run, status)
        select c.id, ${batch.id}::uuid, ${priority}, ${maxAttempts}, ${params.plan.dryRun}, 'queued'
        from cases c
        where ${eligibleWhere(params.plan)}
        on conflict (case_id) where status in (${OPEN_STATUSES_SQL}) do nothing
        returning id, case_id
      ), queued as (
        update cases c set status = 'queued', updated_at = now()
        from inserted i
        where c.id = i.case_id
        returning c.id, c.oem_id, c.redaction_sensitive, c.crm_priority, c.created_at, i.id as run_id
      )
      select c.run_id, c.id as case_id, c.oem_id from queued c order by ${orderBy}`);

    if (planned.length === 0) {
      if (!params.night) {
        await tx.delete(batches).where(eq(batches.id, batch.id));
        return { kind: "nothing_to_file", batchId: null };
      }
      await tx.update(batches).set({ status: "finished", finishedAt: sql`now()` }).where(eq(batches.id, batch.id));
      return { kind: "nothing_to_file", batchId: batch.id };
    }
    await tx.update(batches).set({ caseCount: planned.length }).where(eq(batches.id, batch.id));
    // graphile-worker orders equal priorities by run_at alone: jobs due at the same instant come out
    // in no defined order. One millisecond apart, the planned order is the order they run in. The
    // specs are flushed after the commit in one `addJobs` call.
    const start = (params.now ?? new Date()).getTime();
    for (const [index, row] of planned.entries()) {
      addJobAfterCommit(tx, submitCaseJob({ runId: row.run_id, oemId: row.oem_id, priority, runAt: new Date(start + index) }));
    }
    return { kind: "planned", batchId: batch.id, caseCount: planned.length };
  });
}
