import { getEnv } from "../config/env";
import { resolveIntegrations, type Integrations } from "../config/integrations";
import type { CrmConnector } from "../crm/connector";
import { createCrmConnector } from "../crm";
import type { Database } from "../db/client";
import { getSharedDatabase } from "../db/shared";
import { createLogger, type Logger } from "../log";

export interface WebDeps {
  db: Database;
  crm: CrmConnector;
  integrations: Integrations;
  log: Logger;
}

const globalForDeps = globalThis as unknown as { nightshiftWebDeps?: Omit<WebDeps, "db"> };

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
