import type { Sql } from "postgres";

/** Every table's fingerprint (row count + a digest of all rows), keyed by "schema.table". */
export type StateSnapshot = Record<string, { rows: number; digest: string }>;

/**
 * A fingerprint of everything the app stores: every base table of every schema we own (our
 * tables, better-auth's, the audit log, graphile-worker's jobs). Two equal snapshots mean no row
 * was added, removed or changed (updated_at included), so a refused request can be shown to
 * have changed nothing.
 */
export async function snapshotState(sql: Sql): Promise<StateSnapshot> {
  const tables = await sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by table_schema, table_name`;
  const snapshot: StateSnapshot = {};
  for (const { schema, name } of tables) {
    const id = `${schema}.${name}`;
    const [row] = await sql.unsafe<{ rows: number; digest: string }[]>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}" t`,
    );
    snapshot[id] = row!;
  }
  return snapshot;
}

/** The tables that differ between two snapshots (empty when nothing changed). */
export function changedTables(before: StateSnapshot, after: StateSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name]?.rows !== after[name]?.rows || before[name]?.digest !== after[name]?.digest).sort();
}
