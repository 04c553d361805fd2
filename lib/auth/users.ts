import { randomUUID } from "node:crypto";
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import { accounts, auditLog, sessions, users } from "../../drizzle/schema";
import type { Database, Db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { Auth } from "./auth";
import type { Role } from "./roles";

import { emailSchema, newLocalUserSchema, type NewLocalUser } from "./person-schema";

export { PASSWORD_MIN, emailSchema, nameSchema, newLocalUserSchema, passwordSchema, roleSchema, type NewLocalUser } from "./person-schema";

/** A person as the People page lists them (never a password hash or a token). */
export interface PersonView {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  disabled: boolean;
  /** How they sign in: a password here, the identity provider, or both. */
  signIn: ("password" | "sso")[];
  createdAt: string;
  lastSeenAt: string | null;
}

/**
 * Creates a person with a local password (hashed by better-auth's own hasher, so its sign-in
 * accepts it). A taken email is a 409 that changes nothing.
 */
export async function createLocalUser(db: Database, auth: Auth, input: NewLocalUser, actor: string, options: { inTransaction?: (tx: Tx) => Promise<void> } = {}): Promise<PersonView> {
  const person = newLocalUserSchema.parse(input);
  const context = await auth.$context;
  const hash = await context.password.hash(person.password);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await lockPeople(tx);
    await options.inTransaction?.(tx);
    const inserted = await tx
      .insert(users)
      .values({ id, email: person.email, name: person.name, role: person.role, emailVerified: true })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (inserted.length === 0) throw new AppError("conflict", `${person.email} already has an account.`);
    await tx.insert(accounts).values({ id: randomUUID(), userId: id, providerId: "credential", accountId: id, password: hash });
    await tx.insert(auditLog).values({ actor, action: "user.create", details: { userId: id, email: person.email, role: person.role } });
  });
  return (await getPerson(db, id))!;
}

/** Changes a person's role. The last enabled admin cannot stop being one (nobody could manage people then). */
export async function setUserRole(db: Database, userId: string, role: Role, actor: string): Promise<PersonView> {
  await db.transaction(async (tx) => {
    await lockPeople(tx);
    const [before] = await tx.select({ role: users.role, email: users.email }).from(users).where(eq(users.id, userId));
    if (!before) throw new AppError("not_found", "No such person.");
    if (before.role === role) return;
    if (before.role === "admin" && role !== "admin") await assertAnotherAdmin(tx, userId);
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    await tx.insert(auditLog).values({ actor, action: "user.role", details: { userId, email: before.email, before: before.role, after: role } });
  });
  return (await getPerson(db, userId))!;
}

/** Disables (sessions deleted: signed out everywhere at once) or re-enables a person. */
export async function setUserDisabled(db: Database, userId: string, disabled: boolean, actor: string): Promise<PersonView> {
  await db.transaction(async (tx) => {
    await lockPeople(tx);
    const [before] = await tx.select({ disabledAt: users.disabledAt, role: users.role, email: users.email }).from(users).where(eq(users.id, userId));
    if (!before) throw new AppError("not_found", "No such person.");
    if (Boolean(before.disabledAt) === disabled) return;
    if (disabled && before.role === "admin") await assertAnotherAdmin(tx, userId);
    await tx.update(users).set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() }).where(eq(users.id, userId));
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.insert(auditLog).values({ actor, action: disabled ? "user.disable" : "user.enable", details: { userId, email: before.email } });
  });
  return (await getPerson(db, userId))!;
}

export async function findUserIdByEmail(db: Database, email: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, emailSchema.parse(email)));
  return row?.id ?? null;
}

/** Whether anyone can manage Nightshift: an enabled admin exists. */
export async function hasActiveAdmin(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users).where(and(eq(users.role, "admin"), isNull(users.disabledAt)));
  return (row?.n ?? 0) > 0;
}

export async function listPeople(db: Database, onlyId?: string): Promise<PersonView[]> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      // Two flags, not an array: our pools skip postgres.js's array-type lookup (lib/db/client.ts).
      hasPassword: sql<boolean>`exists (select 1 from ${accounts} a where a.user_id = "users"."id" and a.provider_id = 'credential')`,
      hasSso: sql<boolean>`exists (select 1 from ${accounts} a where a.user_id = "users"."id" and a.provider_id <> 'credential')`,
      lastSeenAt: sql<Date | null>`(select max(s.updated_at) from ${sessions} s where s.user_id = "users"."id")`,
    })
    .from(users)
    .where(onlyId ? eq(users.id, onlyId) : undefined)
    .orderBy(asc(users.name), asc(users.email));
  return rows.map(toView);
}

export async function getPerson(db: Database, userId: string): Promise<PersonView | null> {
  return (await listPeople(db, userId))[0] ?? null;
}

function toView(row: { id: string; email: string; name: string; role: Role | null; disabledAt: Date | null; createdAt: Date; hasPassword: boolean; hasSso: boolean; lastSeenAt: Date | string | null }): PersonView {
  const signIn: PersonView["signIn"] = [];
  if (row.hasPassword) signIn.push("password");
  if (row.hasSso) signIn.push("sso");
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabledAt !== null,
    signIn,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt).toISOString() : null,
  };
}

export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Serialises changes to people, so two admins demoting each other at once cannot leave none. */
async function lockPeople(tx: Tx) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('nightshift:people'))`);
}

async function assertAnotherAdmin(tx: Tx, userId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, userId)));
  if ((row?.n ?? 0) === 0) throw new AppError("conflict", "This is the last admin: make someone else an admin first.");
}
