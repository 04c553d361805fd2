import { getEnv } from "../config/env";
import { connectDatabase, type DatabaseHandle } from "./client";

const globalForDb = globalThis as typeof globalThis & { nightshiftDb?: DatabaseHandle };

/**
 * The web process's pool, created on first use and cached on `globalThis` (dev reloads would
 * otherwise open a pool per reload). The launcher always sets DATABASE_URL for the web process.
 */
export function getSharedDatabase(): DatabaseHandle {
  if (!globalForDb.nightshiftDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (or `npm run dev`), which provides the database.");
    globalForDb.nightshiftDb = connectDatabase(url, { max: 10, name: "nightshift-web" });
  }
  return globalForDb.nightshiftDb;
}
