import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { connectDatabase, withDatabaseName, type DatabaseHandle } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { createJobQueue, type JobQueue } from "@/lib/queue/job-queue";
import { TEMPLATE_DATABASE } from "./constants";
import { trackResource } from "./resources";

export interface TestDatabase extends DatabaseHandle {
  url: string;
  name: string;
  /** graphile-worker's queue on this database (how our code adds jobs). */
  queue: JobQueue;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject("testServerUrl");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(serverUrl, name);
  const handle = connectDatabase(url, { max: 5, name: "nightshift-test" });
  const queue = await createJobQueue(url, { log: createLogger({ level: "silent", format: "json" }) });
  const release = trackResource(`database ${name}`);
  return {
    ...handle,
    url,
    name,
    queue,
    async destroy() {
      await queue.release();
      await handle.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
      release();
    },
  };
}
