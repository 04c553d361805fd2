import { getEnv, type Env } from "../config/env";
import { resolveIntegrations, type Integrations } from "../config/integrations";
import type { CrmConnector } from "../crm/connector";
import { createCrmConnector } from "../crm";
import type { Database } from "../db/client";
import { getSharedDatabase } from "../db/shared";
import { createLogger, type Logger } from "../log";
import { createArtifactStore } from "../artifacts/create-artifact-store";
import type { ArtifactStore } from "../artifacts/store";
import { createJobQueue, type JobQueue } from "../queue/job-queue";

export interface WebDeps {
  db: Database;
  env: Env;
  crm: CrmConnector;
  integrations: Integrations;
  /** graphile-worker's queue (WorkerUtils over its own small pool), made on first use. */
  queue: Promise<JobQueue>;
  store: ArtifactStore;
  log: Logger;
}

interface Cached {
  log?: Logger;
  integrations?: Integrations;
  crm?: CrmConnector;
  queue?: Promise<JobQueue>;
  store?: ArtifactStore;
}
const globalForDeps = globalThis as typeof globalThis & { nightshiftWebDeps?: Cached };

/**
 * The web process's collaborators, built from the environment on first use and cached across
 * route bundles. Lazy: health needs only the database, so a misconfigured CRM cannot break it.
 */
export function getWebDeps(): WebDeps {
  const cached = (globalForDeps.nightshiftWebDeps ??= {});
  return {
    get db() {
      return getSharedDatabase().db;
    },
    get env() {
      return getEnv();
    },
    get integrations() {
      return (cached.integrations ??= resolveIntegrations(getEnv()));
    },
    get crm() {
      return (cached.crm ??= createCrmConnector(this.integrations.crm));
    },
    get queue() {
      return (cached.queue ??= createJobQueue(databaseUrl(), { log: getWebLog() }).catch((error: unknown) => {
        cached.queue = undefined;
        throw error;
      }));
    },
    get store() {
      return (cached.store ??= createArtifactStore(this.integrations));
    },
    get log() {
      return getWebLog();
    },
  };
}

export function getWebLog(): Logger {
  const cached = (globalForDeps.nightshiftWebDeps ??= {});
  if (!cached.log) {
    const env = getEnv();
    cached.log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? "json", name: "web" });
  }
  return cached.log;
}

function databaseUrl(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start` (or `npm run dev`), which provides the database.");
  return url;
}
