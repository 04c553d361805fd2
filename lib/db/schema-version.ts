import { sql } from "drizzle-orm";
import journal from "@/drizzle/migrations/meta/_journal.json";
import type { Db } from "./client";

/** The migrations this release ships, oldest first (drizzle-kit's journal). */
export const MIGRATIONS: ReadonlyArray<{ tag: string; when: number }> = journal.entries.map((e) => ({ tag: e.tag, when: e.when }));

/** The newest migration this release ships. */
export function latestMigrationTag(): string {
  return MIGRATIONS.at(-1)!.tag;
}

export interface AppliedSchema {
  /** The latest applied migration's tag; `unknown:<millis>` when this release does not know it (a newer release migrated). */
  latest: string | null;
  applied: number;
}

/**
 * The latest drizzle migration applied to a database, read from drizzle's own bookkeeping table
 * (`drizzle.__drizzle_migrations`, whose `created_at` is the journal's `when`). Null: never migrated.
 */
export async function readAppliedSchema(db: Db): Promise<AppliedSchema> {
  const exists = await db.execute<{ present: boolean }>(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists[0]?.present) return { latest: null, applied: 0 };
  const rows = await db.execute<{ created_at: string; count: number }>(sql`
    select (select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1)::text as created_at,
           (select count(*)::int from drizzle.__drizzle_migrations) as count`);
  const row = rows[0];
  if (!row?.created_at) return { latest: null, applied: 0 };
  const when = Number(row.created_at);
  return { latest: MIGRATIONS.find((m) => m.when === when)?.tag ?? `unknown:${when}`, applied: Number(row.count) };
}
