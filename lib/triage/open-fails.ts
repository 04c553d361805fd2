import { sql, type SQL } from "drizzle-orm";
import { TERMINAL_FAIL_STATUSES } from "../domain/vocabulary";

/**
 * The runs a triage group holds, as a SQL condition on the runs table under `alias`: a terminal
 * fail with a fingerprint that is still the newest run of its case (a case retried or submitted
 * since has a newer run, and leaves triage). The newer-run probe uses runs_case_idx.
 */
export function openTerminalFail(alias: string): SQL {
  const r = sql.raw(alias);
  return sql`${r}.status in (${sql.join(
    TERMINAL_FAIL_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  )}) and ${r}.fingerprint is not null and not exists (select 1 from runs newer where newer.case_id = ${r}.case_id and (newer.created_at, newer.id) > (${r}.created_at, ${r}.id))`;
}

const terminal = () =>
  sql.join(
    TERMINAL_FAIL_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );

/**
 * The same runs, found from the case side for listing: a case's status mirrors its newest run's
 * outcome (fail-run writes both in one transaction; a retry or a submission moves the case on), so
 * only cases waiting in a terminal-fail status are read, each with its newest run (one probe of
 * runs_case_idx), instead of every terminal fail in the history. Columns: id, case_id, batch_id,
 * fingerprint, error_class, error_code, status, finished_at, oem_id.
 */
export function openFailsFromCases(params: { oem: string | null }): SQL {
  return sql`select r.id, r.case_id, r.batch_id, r.fingerprint, r.error_class, r.error_code, r.status, r.finished_at, c.oem_id
    from cases c
    cross join lateral (
      select x.id, x.case_id, x.batch_id, x.fingerprint, x.error_class, x.error_code, x.status, x.finished_at
      from runs x where x.case_id = c.id order by x.created_at desc, x.id desc limit 1
    ) r
    where c.status in (${terminal()})${params.oem ? sql` and c.oem_id = ${params.oem}` : sql``}
      and r.status in (${terminal()}) and r.fingerprint is not null`;
}

/** The case under `alias` waits in a terminal-fail status (listing uses it with `openTerminalFail`). */
export function waitingCase(alias: string): SQL {
  return sql`${sql.raw(alias)}.status in (${terminal()})`;
}
