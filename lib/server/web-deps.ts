import { getEnv, type Env } from "../config/env";
import { resolveIntegrations, type Integrations } from "../config/integrations";
import type { CrmConnector } from "../crm/connector";
import { createCrmConnector } from "../crm";
import type { Database } from "../db/client";
import { getSharedDatabase } from "../db/shared";
import { createLogger, type Logger } from "../log";

export interface WebDeps {
  db: Database;
  env: Env;
  crm: CrmConnector;
  integrations: Integrations;
  log: Logger;
}

interface Cached {
  log?: Logger;
  integrations?: Integrations;
  crm?: CrmConnector;
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
