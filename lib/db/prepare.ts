import type { Env } from "../config/env";
import { IntegrationConfigError, resolveIntegrations } from "../config/integrations";
import { syncOems } from "../oems/catalog";
import { connectDatabase } from "./client";
import { migrateDatabase } from "./migrate";

/** Start-up work done once by a launcher: migrations, then the OEM catalog with its portal URLs. */
export async function prepareDatabase(url: string, env: Env): Promise<void> {
  await migrateDatabase(url);
  const handle = connectDatabase(url, { max: 1, name: "nightshift-prepare" });
  try {
    await syncOems(handle.db, { portalUrls: portalUrls(env) });
  } finally {
    await handle.close();
  }
}

/** Portal URLs when configured; migrations must not depend on the integrations being complete. */
function portalUrls(env: Env): Record<string, string> {
  try {
    return Object.fromEntries(Object.entries(resolveIntegrations(env).portals).map(([id, p]) => [id, p.url]));
  } catch (error) {
    if (error instanceof IntegrationConfigError) return {};
    throw error;
  }
}
