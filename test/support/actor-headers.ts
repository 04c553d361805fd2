import { eq } from "drizzle-orm";
import { auditLog } from "@/drizzle/schema";
import type { Role } from "@/lib/auth/roles";
import { createLocalUser, findUserIdByEmail } from "@/lib/auth/users";
import { getSharedDatabase } from "@/lib/db/shared";
import { getAuth } from "@/lib/server/web-auth";

/** The password of every test person (long enough for the local-account rule). */
export const TEST_PASSWORD = "correct horse battery staple";

/** The email of the test person with `role`: what audit rows record as their actor. */
export const actorEmail = (role: Role) => `${role}@nightshift.test`;

/**
 * Request headers of a real signed-in person with `role`, for calling route handlers directly:
 * the person is created in the shared database (once) and signed in through better-auth, so the
 * cookie is the one a browser would carry. Needs DATABASE_URL set before the first call.
 */
export async function actorHeaders(role: Role): Promise<Record<string, string>> {
  const auth = getAuth();
  const { db } = getSharedDatabase();
  const email = actorEmail(role);
  if (!(await findUserIdByEmail(db, email))) {
    await createLocalUser(db, auth, { email, name: `Test ${role}`, role, password: TEST_PASSWORD }, "test-setup");
    // The fixture is not part of what a test audits.
    await db.delete(auditLog).where(eq(auditLog.actor, "test-setup"));
  }
  const answer = await auth.api.signInEmail({ body: { email, password: TEST_PASSWORD }, asResponse: true });
  if (!answer.ok) throw new Error(`signing in ${email} failed: ${answer.status} ${await answer.text()}`);
  return { cookie: answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}
