import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { setupTokens } from "../../drizzle/schema";
import type { Database } from "../db/client";
import { AppError } from "../errors/app-error";
import type { Auth } from "./auth";
import { createLocalUser, hasActiveAdmin, type NewLocalUser, type PersonView, type Tx } from "./users";

/** How long a first-admin link works. */
export const SETUP_TOKEN_TTL_HOURS = 24;
export const SETUP_PATH = "/setup";

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A one-time link token for creating the first admin. Only its SHA-256 is stored, so the database
 * alone does not let anyone in; the launcher prints the token once.
 */
export async function issueSetupToken(db: Database, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(setupTokens).values({ tokenHash: hashOf(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_TTL_HOURS * 3600_000) });
  return token;
}

export type SetupTokenState = "valid" | "used" | "expired" | "unknown" | "admin_exists";

/** What the setup page says before anyone types: valid, already used, expired, unknown, or pointless (an admin exists). */
export async function setupTokenState(db: Database, token: string, now = new Date()): Promise<SetupTokenState> {
  const [row] = await db.select().from(setupTokens).where(eq(setupTokens.tokenHash, hashOf(token)));
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  if (row.expiresAt <= now) return "expired";
  if (await hasActiveAdmin(db)) return "admin_exists";
  return "valid";
}

export const SETUP_REFUSALS: Record<Exclude<SetupTokenState, "valid">, string> = {
  used: "This link has already been used. Sign in instead, or ask an admin for an account.",
  expired: "This link has expired. Restart Nightshift (npm start) for a new one, or run: npm run user -- add --role admin …",
  unknown: "This link is not valid. Use the link the launcher printed.",
  admin_exists: "Nightshift already has an admin. Sign in, or ask an admin for an account.",
};

/**
 * Creates the first admin with the token, in one transaction with its consumption: the link
 * works once, and never once an admin exists (e.g. one made with `npm run user`).
 */
export async function createFirstAdmin(db: Database, auth: Auth, token: string, person: Omit<NewLocalUser, "role">, now = new Date()): Promise<PersonView> {
  return createLocalUser(db, auth, { ...person, role: "admin" }, person.email, {
    inTransaction: async (tx: Tx) => {
      const consumed = await tx
        .update(setupTokens)
        .set({ usedAt: now, usedBy: person.email })
        .where(and(eq(setupTokens.tokenHash, hashOf(token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)))
        .returning({ tokenHash: setupTokens.tokenHash });
      if (consumed.length === 0) {
        const state = await setupTokenState(db, token, now);
        throw new AppError(state === "unknown" ? "not_found" : "conflict", SETUP_REFUSALS[state === "valid" ? "used" : state]);
      }
      if (await hasActiveAdmin(tx)) throw new AppError("conflict", SETUP_REFUSALS.admin_exists);
    },
  });
}
