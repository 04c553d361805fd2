import path from "node:path";
import type { Env } from "../config/env";
import { redactUrl, type Logger } from "../log";
import { waitForDatabase } from "./client";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { superviseEmbeddedPostgres } from "./supervised-postgres";

export interface DatabaseServer {
  url: string;
  /** True when this process started an embedded PostgreSQL and must stop it. */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface DatabaseServerOptions {
  /**
   * Restart an embedded PostgreSQL that dies on its own (the launcher's choice); `onGiveUp` is
   * called when it keeps dying. Without it, a dead embedded server stays down.
   */
  supervise?: { onGiveUp: (error: Error) => void };
}

/**
 * The database to use: `DATABASE_URL` when set (nothing is started), else the embedded
 * PostgreSQL under `NIGHTSHIFT_DATA_DIR/pg` on `PG_PORT`.
 */
export async function openDatabaseServer(
  env: Pick<Env, "DATABASE_URL" | "NIGHTSHIFT_DATA_DIR" | "PG_PORT">,
  log: Logger,
  options: DatabaseServerOptions = {},
): Promise<DatabaseServer> {
  if (env.DATABASE_URL) {
    log.info({ database: redactUrl(env.DATABASE_URL) }, "using PostgreSQL at DATABASE_URL");
    await waitForDatabase(env.DATABASE_URL);
    return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  const embeddedOptions = { dataDir: path.join(env.NIGHTSHIFT_DATA_DIR, "pg"), port: env.PG_PORT, log };
  const server = options.supervise
    ? await superviseEmbeddedPostgres({ ...embeddedOptions, onGiveUp: options.supervise.onGiveUp })
    : await startEmbeddedPostgres(embeddedOptions);
  try {
    await waitForDatabase(server.url);
    await ensureDatabase(server.url, "nightshift");
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url.replace(/\/postgres$/, "/nightshift"), embedded: true, stop: () => server.stop() };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
