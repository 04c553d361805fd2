import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { pruneRateLimits } from "@/lib/auth/rate-limits";
import { createLocalUser } from "@/lib/auth/users";
import { parseEnv } from "@/lib/config/env";
import { connectDatabase, type DatabaseHandle } from "@/lib/db/client";
import { resolveSecretKeys } from "@/lib/secrets/secret-key";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { quietLog } from "@/test/support/worker";

// Two web instances (two better-auth handlers, two pools) over one database, as behind a load
// balancer: the sign-in limit is counted in Postgres (rate_limits), so a guesser cannot multiply
// it by spreading tries across instances.
const APP = "http://127.0.0.1:3000";
const EMAIL = "lim@nightshift.test";
let database: TestDatabase;
let handles: DatabaseHandle[];
let instances: Auth[];

beforeAll(async () => {
  database = await createTestDatabase();
  const env = parseEnv({ DATABASE_URL: database.url, PORT: "3000", NIGHTSHIFT_SECRET_KEY: randomBytes(32).toString("base64") });
  handles = [connectDatabase(database.url, { max: 2, name: "web-a" }), connectDatabase(database.url, { max: 2, name: "web-b" })];
  instances = handles.map((handle) => createAuth({ db: handle.db, env, keys: resolveSecretKeys(env), log: quietLog, rateLimitEnabled: true }));
  await createLocalUser(handles[0]!.db, instances[0]!, { email: EMAIL, name: "Lim", role: "viewer", password: "a long enough password" }, "test");
});
afterAll(async () => {
  for (const handle of handles ?? []) await handle.close();
  await database?.destroy();
});

function signIn(instance: Auth, clientAddress: string, password = "not the password") {
  return instance.handler(
    new Request(`${APP}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP, "x-forwarded-for": clientAddress },
      body: JSON.stringify({ email: EMAIL, password }),
    }),
  );
}

describe("the sign-in rate limit", () => {
  it("counts one client's tries across every web instance and refuses the 11th within the window", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await signIn(instances[i % 2]!, "203.0.113.7")).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refused = await signIn(instances[0]!, "203.0.113.7", "a long enough password");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("x-retry-after"))).toBeGreaterThan(0);
    const onOther = await signIn(instances[1]!, "203.0.113.7", "a long enough password");
    expect(onOther.status).toBe(429);
    // The count lives in Postgres (one process's memory would also share it between these two
    // handlers, but not between two web processes).
    const rows = await database.sql<{ key: string; count: number }[]>`select key, count from rate_limits`;
    expect(rows).toEqual([expect.objectContaining({ key: expect.stringContaining("203.0.113.7") as string, count: expect.any(Number) as number })]);
    expect(rows[0]!.count).toBeGreaterThanOrEqual(10);
  });

  it("does not hold one client's tries against another address", async () => {
    const answer = await signIn(instances[1]!, "198.51.100.20", "a long enough password");
    expect(answer.status).toBe(200);
  });

  it("housekeeping forgets counters untouched for a day and keeps fresh ones", async () => {
    const now = Date.now();
    await database.sql`insert into rate_limits (id, key, count, last_request) values ('old', '192.0.2.1/sign-in/email', 3, ${now - 25 * 3600_000})`;
    const before = await database.sql<{ key: string }[]>`select key from rate_limits order by key`;
    expect(before.map((r) => r.key)).toContain("192.0.2.1/sign-in/email");
    expect(await pruneRateLimits(database.db, { now: new Date(now) })).toBe(1);
    const after = await database.sql<{ key: string }[]>`select key from rate_limits`;
    expect(after.map((r) => r.key)).not.toContain("192.0.2.1/sign-in/email");
    expect(after.length).toBe(before.length - 1);
  });
});
