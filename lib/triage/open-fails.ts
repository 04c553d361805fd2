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
