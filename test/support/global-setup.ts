import path from "node:path";
import { rmSync } from "node:fs";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { parseEnv } from "@/lib/config/env";
import { waitForDatabase, withDatabaseName } from "@/lib/db/client";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDatabase } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { TEMPLATE_DATABASE } from "./constants";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin URL of the test server; each test file clones the migrated template from it. */
    testServerUrl: string;
  }
}

let server: EmbeddedPostgres | undefined;
let dataDir: string | undefined;


/** One Postgres for the run (embedded unless TEST_DATABASE_URL), with a migrated template database. */
export async function setup(project: TestProject) {
  const env = parseEnv(process.env);
  let adminUrl = env.TEST_DATABASE_URL;
  if (!adminUrl) {
    // Per run: a fresh cluster on a free port, so parallel runs (CI, a second terminal) never collide.
    dataDir = path.join(env.NIGHTSHIFT_DATA_DIR, "test-pg", String(process.pid));
    rmSync(dataDir, { recursive: true, force: true });
    server = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: createLogger({ level: "warn", format: "json" }), maxConnections: 300 });
    adminUrl = server.url;
  }
  await waitForDatabase(adminUrl);
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await sql.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await sql.end();
  }
  await migrateDatabase(withDatabaseName(adminUrl, TEMPLATE_DATABASE));
  project.provide("testServerUrl", adminUrl);
}

export async function teardown() {
  await server?.stop();
  if (server && dataDir) rmSync(server.dataDir === path.resolve(dataDir) ? dataDir : path.dirname(server.dataDir), { recursive: true, force: true });
}
