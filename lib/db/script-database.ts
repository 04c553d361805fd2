import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "../config/env";
import type { Logger } from "../log";
import { isAlive } from "../process/processes";
import { connectDatabase, type DatabaseHandle } from "./client";
import { openDatabaseServer } from "./database-server";
import { prepareDatabase } from "./prepare";

/**
 * The database for a one-off script (`npm run user`, `npm run secrets`): DATABASE_URL; else the
 * embedded PostgreSQL of a running `npm start` (same NIGHTSHIFT_DATA_DIR and PG_PORT); else the
 * embedded one started just for the script (migrated, and stopped again by `close`).
 */
export async function openScriptDatabase(env: Env, log: Logger): Promise<DatabaseHandle & { close(): Promise<void> }> {
  if (!env.DATABASE_URL && launcherRunning(env.NIGHTSHIFT_DATA_DIR)) {
    const handle = connectDatabase(`postgres://postgres@127.0.0.1:${env.PG_PORT}/nightshift`, { max: 2 });
    return { ...handle, close: () => handle.close() };
  }
  const server = await openDatabaseServer(env, log);
  try {
    await prepareDatabase(server.url, env);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const handle = connectDatabase(server.url, { max: 2 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await server.stop();
    },
  };
}

function launcherRunning(dataDir: string): boolean {
  const file = path.join(dataDir, "run", "launcher.json");
  if (!existsSync(file)) return false;
  try {
    const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid?: number };
    return typeof pid === "number" && isAlive(pid);
  } catch {
    return false;
  }
}
