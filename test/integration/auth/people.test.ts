import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "@/drizzle/schema";
import { createLocalUser, findUserIdByEmail, getPerson, listPeople } from "@/lib/auth/users";
import { getSharedDatabase } from "@/lib/db/shared";
import { getAuth } from "@/lib/server/web-auth";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";

// What the People page lists, read from real Postgres: how each person signs in and when they were last seen.
const PASSWORD = "correct horse battery staple";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  process.env.PORT = "3000";
  process.env.LOG_LEVEL = "silent";
});

afterAll(async () => {
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

describe("the people list", () => {
  it("says a local person signs in with a password, an SSO person through the identity provider, and when each was last seen", async () => {
    const { db } = getSharedDatabase();
    const auth = getAuth();
    await createLocalUser(db, auth, { email: "lena@example.com", name: "Lena Local", role: "ops", password: PASSWORD }, "test");
    await createLocalUser(db, auth, { email: "sam@example.com", name: "Sam Sso", role: "viewer", password: PASSWORD }, "test");
    const samId = (await findUserIdByEmail(db, "sam@example.com"))!;
    // Sam also has an identity-provider account (as better-auth writes it after an OpenID Connect sign-in).
    await db.insert(accounts).values({ id: "acc-sam-oidc", accountId: "sub-sam", providerId: "oidc", userId: samId, createdAt: new Date(), updatedAt: new Date() });

    const before = await listPeople(db);
    expect(before.map((p) => [p.email, p.signIn, p.lastSeenAt])).toEqual([
      ["lena@example.com", ["password"], null],
      ["sam@example.com", ["password", "sso"], null],
    ]);

    const answer = await auth.api.signInEmail({ body: { email: "lena@example.com", password: PASSWORD }, asResponse: true });
    expect(answer.ok).toBe(true);
    const lena = await getPerson(db, (await findUserIdByEmail(db, "lena@example.com"))!);
    expect(lena?.lastSeenAt).not.toBeNull();
    expect(Date.now() - Date.parse(lena!.lastSeenAt!)).toBeLessThan(60_000);
    expect((await getPerson(db, samId))?.lastSeenAt).toBeNull();
  });
});
