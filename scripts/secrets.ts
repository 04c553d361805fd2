// `npm run secrets -- rotate|status`: the stored portal credentials and the key that seals them.
//   npm run secrets -- status   which key seals each stored credential (current, previous, unknown)
//   npm run secrets -- rotate   re-seal every stored credential with NIGHTSHIFT_SECRET_KEY, after the
//                               operator moved the old key to NIGHTSHIFT_SECRET_KEY_PREVIOUS
// Works beside a running `npm start` (same NIGHTSHIFT_DATA_DIR / PG_PORT) or on its own; DATABASE_URL wins.
// Never prints a secret.
import { asc } from "drizzle-orm";
import { portalCredentials } from "@/drizzle/schema";
import { loadDotEnv } from "@/lib/config/dotenv";
import { getEnv } from "@/lib/config/env";
import { openScriptDatabase } from "@/lib/db/script-database";
import { createLogger } from "@/lib/log";
import { resealPortalCredentials } from "@/lib/portals/credentials";
import { resolveSecretKeys, SecretKeyError } from "@/lib/secrets/secret-key";

const USAGE = `Usage:
  npm run secrets -- status
  npm run secrets -- rotate`;

loadDotEnv();
const env = getEnv();
const log = createLogger({ level: env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL, format: env.LOG_FORMAT, name: "secrets" });
const [command] = process.argv.slice(2).filter((arg) => arg !== "--");
const ACTOR = `cli:${process.env.USER ?? "script"}`;

if (!command || !["rotate", "status"].includes(command)) {
  console.error(USAGE);
  process.exit(2);
}

let keys: ReturnType<typeof resolveSecretKeys>;
try {
  keys = resolveSecretKeys(env);
} catch (error) {
  console.error(error instanceof SecretKeyError ? error.message : String(error));
  process.exit(2);
}

const database = await openScriptDatabase(env, log);
try {
  if (command === "status") {
    const rows = await database.db.select({ oemId: portalCredentials.oemId, keyId: portalCredentials.keyId, updatedBy: portalCredentials.updatedBy, updatedAt: portalCredentials.updatedAt }).from(portalCredentials).orderBy(asc(portalCredentials.oemId));
    console.log(`Current key: ${keys.current.id}${keys.previous.length > 0 ? `; previous: ${keys.previous.map((k) => k.id).join(", ")}` : ""}`);
    if (rows.length === 0) console.log("No portal credentials are stored.");
    for (const row of rows) {
      const which = row.keyId === keys.current.id ? "current key" : keys.previous.some((k) => k.id === row.keyId) ? "a previous key: run `npm run secrets -- rotate`" : "an unknown key: it cannot be opened";
      console.log(`${row.oemId}\tsealed with ${which} (${row.keyId})\tset ${row.updatedAt.toISOString()} by ${row.updatedBy}`);
    }
  } else {
    const report = await resealPortalCredentials(database.db, { keys, actor: ACTOR });
    for (const oemId of report.resealed) console.log(`${oemId}: re-sealed with the current key (${keys.current.id}).`);
    for (const oemId of report.alreadyCurrent) console.log(`${oemId}: already sealed with the current key.`);
    for (const failure of report.failed) console.error(`${failure.oemId}: NOT re-sealed. ${failure.reason}`);
    if (report.resealed.length + report.alreadyCurrent.length + report.failed.length === 0) console.log("No portal credentials are stored; nothing to re-seal.");
    if (report.failed.length > 0) process.exitCode = 1;
    else console.log(keys.previous.length > 0 ? "Done. Every stored credential uses the current key: NIGHTSHIFT_SECRET_KEY_PREVIOUS can be removed." : "Done.");
  }
} catch (error) {
  process.exitCode = 1;
  console.error(error instanceof Error ? error.message : String(error));
} finally {
  await database.close();
}
