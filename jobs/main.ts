// Worker process entry (`npm run worker`): graphile-worker with our task list and heartbeats.
import { loadDotEnv } from "@/lib/config/dotenv";
import { getEnv } from "@/lib/config/env";
import { attemptTimeoutsFrom, resolveIntegrations } from "@/lib/config/integrations";
import { openDatabaseServer } from "@/lib/db/database-server";
import { prepareDatabase } from "@/lib/db/prepare";
import { languageModelConfigProblems } from "@/lib/llm/provider";
import { createLogger } from "@/lib/log";
import { watchParent } from "@/lib/process/watch-parent";
import { findChromium } from "./automation/chromium";
import { createCrontab } from "./crontab";
import { startWorker } from "./worker";

loadDotEnv();
const env = getEnv();
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, name: "worker" });

let chromiumPath: string;
let integrations: ReturnType<typeof resolveIntegrations>;
try {
  // With a remote browser (BROWSER_WS_ENDPOINT) the worker's machine needs no Chromium.
  chromiumPath = env.BROWSER_WS_ENDPOINT ? "" : findChromium({ explicitPath: env.CHROMIUM_PATH, searchPath: env.PATH });
  integrations = resolveIntegrations(env);
  // A half-configured model tier is a configuration error now, not a surprise mid-night.
  const llmProblems = languageModelConfigProblems(env);
  if (llmProblems.length > 0) throw new Error(`Healing's model tier is misconfigured: ${llmProblems.join(" ")}`);
} catch (error) {
  log.fatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const server = await openDatabaseServer(env, log);
if (!env.NIGHTSHIFT_SUPERVISED) await prepareDatabase(server.url, env);
const worker = await startWorker({
  databaseUrl: server.url,
  log,
  concurrency: env.WORKER_CONCURRENCY,
  staleAfterSeconds: env.WORKER_STALE_AFTER_SECONDS,
  heartbeatIntervalMs: env.WORKER_HEARTBEAT_SECONDS * 1000,
  integrations,
  chromiumPath,
  crontab: createCrontab(),
  scheduleTickMs: env.SCHEDULE_TICK_SECONDS ? env.SCHEDULE_TICK_SECONDS * 1000 : undefined,
  drainMs: env.WORKER_DRAIN_SECONDS * 1000,
  timeouts: attemptTimeoutsFrom(env),
  llmEnv: env,
});

let exiting = false;
async function shutdown(reason: string) {
  if (exiting) return;
  exiting = true;
  log.info({ reason }, "worker shutting down");
  await worker.stop();
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
if (env.NIGHTSHIFT_SUPERVISED) watchParent(() => void shutdown("parent process gone"));
void worker.done.then(() => shutdown("runner stopped"));
