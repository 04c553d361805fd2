import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "@/lib/db/client";
import { getHealth } from "@/lib/health/get-health";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestWorker } from "../support/worker";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.destroy();
});

describe("health", () => {
  it("reports degraded while no worker beats, and ok with a live worker and the queue depth", async () => {
    expect(await getHealth(database.db, { staleAfterSeconds: 60 })).toMatchObject({ status: "degraded", database: { status: "up" }, workers: { live: 0 }, queue: { depth: 0 } });
    const worker = await startTestWorker(database.url);
    try {
      const health = await getHealth(database.db, { staleAfterSeconds: 60 });
      expect(health.status).toBe("ok");
      expect(health.workers.live).toBe(1);
      expect(health.workers.list[0]?.pid).toBe(process.pid);
    } finally {
      await worker.stop();
    }
  });

  it("reports the database down with a readable reason when it refuses connections", async () => {
    const unreachable = connectDatabase("postgres://postgres@127.0.0.1:1/nightshift", { max: 1 });
    try {
      const health = await getHealth(unreachable.db, { staleAfterSeconds: 60 });
      expect(health).toMatchObject({ status: "down", database: { status: "down", reason: "The database refuses connections (is it running?)." }, queue: { depth: null } });
    } finally {
      await unreachable.close();
    }
  });
});
