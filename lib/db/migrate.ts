import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { Logger as GraphileLogger, runMigrations } from "graphile-worker";
import postgres from "postgres";

const quietLogger = new GraphileLogger(() => () => {});
const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "drizzle", "migrations");

/**
 * Applies our drizzle migrations and graphile-worker's schema. The migrator takes no lock, so
 * only launchers (scripts/start.ts, `npm run db:migrate`, test global setup) call this, once.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder });
  } finally {
    await sql.end({ timeout: 5 });
  }
  await runMigrations({ connectionString: url, logger: quietLogger });
}
