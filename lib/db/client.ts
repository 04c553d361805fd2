import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/drizzle/schema";

export type Database = PostgresJsDatabase<typeof schema>;
export type Sql = postgres.Sql;

export interface DatabaseHandle {
  db: Database;
  sql: Sql;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  /** Application name shown in pg_stat_activity. */
  name?: string;
}

/** Opens a pool. Callers own it and must `close()` it. */
export function connectDatabase(url: string, options: ConnectOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: options.name ?? "nightshift" },
    // postgres.js runs an array-type lookup as the first statement of every new connection and
    // drops its promise: when the server restarts under it, the failure escapes as an unhandled
    // rejection (porsager/postgres#1192, #1223) and kills the process. We read no array columns.
    fetch_types: false,
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Waits until the server answers a query (a fresh Postgres refuses connections while starting). */
export async function waitForDatabase(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {}, fetch_types: false });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  throw new Error(`Database not reachable within ${timeoutMs / 1000} s: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

/** Replaces the database name of a Postgres URL. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A transaction handle, as passed to `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Query functions that may run inside a caller's transaction take this. */
export type Db = Database | Transaction;
