import { sql } from "drizzle-orm";
import { latestMigrationTag, readAppliedSchema } from "../../db/schema-version";
import type { DoctorCheck } from "../types";

/** The database answers. */
export const databaseReachable: DoctorCheck = {
  id: "database",
  label: "Database reachable",
  async run({ db, databaseSource }) {
    if (!db) return { status: "fail", sentence: "No database is configured or running.", fix: "Set DATABASE_URL, or start Nightshift with npm start (its embedded PostgreSQL)." };
    const started = performance.now();
    await db.execute(sql`select 1`);
    return { status: "ok", sentence: `The database (${databaseSource}) answered in ${Math.round(performance.now() - started)} ms.` };
  },
};

/** The latest migration this release ships is applied. */
export const databaseMigrated: DoctorCheck = {
  id: "migrations",
  label: "Database migrated",
  async run({ db }) {
    if (!db) return { status: "skip", sentence: "No database to check." };
    const applied = await readAppliedSchema(db);
    const latest = latestMigrationTag();
    if (applied.latest === latest) return { status: "ok", sentence: `The latest migration (${latest}) is applied.` };
    if (applied.latest === null) return { status: "fail", sentence: "The database has never been migrated.", fix: "Run npm run db:migrate (npm start does it at start-up)." };
    if (applied.latest.startsWith("unknown:")) return { status: "fail", sentence: "The database was migrated by a newer release than this one.", fix: "Deploy the release that migrated it (or newer)." };
    return { status: "fail", sentence: `The database is at ${applied.latest}; this release needs ${latest}.`, fix: "Run npm run db:migrate with this release." };
  },
};

/** This host's clock against the database's now(): the schedule and deadlines depend on it. */
export const clockSane: DoctorCheck = {
  id: "clock",
  label: "Clock in step",
  async run({ db, now }) {
    if (!db) return { status: "skip", sentence: "No database to compare the clock with." };
    const before = now().getTime();
    const rows = await db.execute<{ now: string }>(sql`select (extract(epoch from clock_timestamp()) * 1000)::text as now`);
    const after = now().getTime();
    const skewMs = Number(rows[0]?.now) - (before + after) / 2;
    const seconds = Math.abs(skewMs) / 1000;
    if (seconds > 2) return { status: "warn", sentence: `This host's clock is ${seconds.toFixed(1)} s ${skewMs > 0 ? "behind" : "ahead of"} the database's.`, fix: "Enable NTP (timedatectl set-ntp true) on this host and the database host." };
    return { status: "ok", sentence: `This host's clock is within ${Math.max(0.1, seconds).toFixed(1)} s of the database's.` };
  },
};
