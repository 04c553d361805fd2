import { getEnv } from "../config/env";
import { resolveIntegrations, type Integrations } from "../config/integrations";
import type { CrmConnector } from "../crm/connector";
import { createCrmConnector } from "../crm";
import type { Database } from "../db/client";
import { getSharedDatabase } from "../db/shared";
import { createLogger, type Logger } from "../log";
import { createJobQueue, type JobQueue } from "../queue/job-queue";

export interface WebDeps {
  db: Database;
  crm: CrmConnector;
  integrations: Integrations;
  log: Logger;
}

const globalForDeps = globalThis as typeof globalThis & { nightshiftWebDeps?: Omit<WebDeps, "db"> };

/** The web process's collaborators, built once from the environment. */
export function getWebDeps(): WebDeps {
  if (!globalForDeps.nightshiftWebDeps) {
    const env = getEnv();
    const integrations = resolveIntegrations(env);
    globalForDeps.nightshiftWebDeps = {
      crm: createCrmConnector(integrations.crm),
      integrations,
      log: createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? "json", name: "web" }),
    };
  }
  return { db: getSharedDatabase().db, ...globalForDeps.nightshiftWebDeps };
}

export function getWebLog(): Logger {
  return getWebDeps().log;
}

const globalForQueue = globalThis as typeof globalThis & { nightshiftWebQueue?: Promise<JobQueue> };

/** The web process's job queue (graphile-worker's WorkerUtils over its own small pool), made once. */
export function getJobQueue(): Promise<JobQueue> {
  globalForQueue.nightshiftWebQueue ??= createJobQueue(databaseUrl()).catch((error: unknown) => {
    globalForQueue.nightshiftWebQueue = undefined;
    throw error;
  });
  return globalForQueue.nightshiftWebQueue;
}

function databaseUrl(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (or `npm run dev`), which provides the database.");
  return url;
}
