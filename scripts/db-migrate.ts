// `npm run db:migrate`: applies our migrations and graphile-worker's schema, then exits.
import { loadDotEnv } from "@/lib/config/dotenv";
import { getEnv } from "@/lib/config/env";
import { openDatabaseServer } from "@/lib/db/database-server";
import { prepareDatabase } from "@/lib/db/prepare";
import { createLogger } from "@/lib/log";

loadDotEnv();
const env = getEnv();
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, name: "db:migrate" });
const server = await openDatabaseServer(env, log);
try {
  await prepareDatabase(server.url, env);
  log.info("migrations applied");
} finally {
  await server.stop();
}
