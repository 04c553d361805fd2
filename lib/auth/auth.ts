import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins";
import { eq } from "drizzle-orm";
import * as schema from "../../drizzle/schema";
import type { Env } from "../config/env";
import type { Database } from "../db/client";
import type { Logger } from "../log";
import { deriveKey, type SecretKeys } from "../secrets/secret-key";
import { roleFromGroups } from "./group-roles";
import type { Role } from "./roles";

/** The identity provider's id in better-auth: its callback is /api/auth/callback/oidc. */
export const OIDC_PROVIDER_ID = "oidc";
/** Cookies are named nightshift.session_token etc. */
export const AUTH_COOKIE_PREFIX = "nightshift";

export interface AuthSetup {
  db: Database;
  env: Pick<
    Env,
    "SESSION_MAX_AGE_HOURS" | "OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_LABEL" | "OIDC_GROUPS_CLAIM" | "OIDC_SCOPES" | "OIDC_ROLE_GROUPS" | "OIDC_DEFAULT_ROLE" | "NIGHTSHIFT_PUBLIC_URL" | "PORT" | "HOSTNAME"
  >;
  keys: SecretKeys;
  log: Logger;
  /** Force the sign-in rate limit on or off; unset: better-auth's default (on in production builds). */
  rateLimitEnabled?: boolean;
}

/**
 * better-auth over our Postgres (users, sessions, accounts, verifications in drizzle/schema.ts).
 *
 * - Local accounts: email + password, but no public sign-up: people are added by an admin, by
 *   `npm run user`, or (the very first admin) through the launcher's one-time link.
 * - SSO: one OpenID Connect provider by configuration. The role comes from the groups claim
 *   through OIDC_ROLE_GROUPS and is re-applied at every sign-in (`validateUserInfo` sees the fresh
 *   profile), so a group change takes effect at the next login.
 * - `role` and `disabledAt` are ours: never accepted as input from a client.
 * - No cookie cache: every request reads the session row, so a disabled account or a role change
 *   counts at once.
 */
export function createAuth(setup: AuthSetup) {
  const { db, env, log } = setup;
  // An SSO user's role is known (from the profile) before better-auth creates the user row;
  // `user.create.before` picks it up by email within the same callback request.
  const pendingRoles = new Map<string, { role: Role | null; at: number }>();
  const oidcConfigured = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
  const maxAgeSeconds = Math.round(env.SESSION_MAX_AGE_HOURS * 3600);

  return betterAuth({
    appName: "Nightshift",
    basePath: "/api/auth",
    baseURL: baseUrlOf(env),
    secret: deriveKey(setup.keys.current, "sessions").toString("base64"),
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: { user: schema.users, session: schema.sessions, account: schema.accounts, verification: schema.verifications, rateLimit: schema.rateLimits },
    }),
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false },
        disabledAt: { type: "date", required: false, input: false },
      },
      validateUserInfo: async ({ user, source }) => {
        if (source.method !== "oauth" || source.oauth?.providerId !== OIDC_PROVIDER_ID) return;
        const role = roleFromGroups(source.oauth.profile?.[env.OIDC_GROUPS_CLAIM], env.OIDC_ROLE_GROUPS ?? {}, env.OIDC_DEFAULT_ROLE ?? null);
        const id = typeof user.id === "string" ? user.id : undefined;
        if (id) {
          // A returning person: their groups decide again.
          await db.update(schema.users).set({ role, updatedAt: new Date() }).where(eq(schema.users.id, id));
          log.info({ userId: id, role }, "SSO sign-in: role re-applied from the groups claim");
        } else if (typeof user.email === "string") {
          prunePending(pendingRoles);
          pendingRoles.set(user.email.toLowerCase(), { role, at: Date.now() });
        }
      },
    },
    session: {
      expiresIn: maxAgeSeconds,
      // Sliding: a session in use is extended at most every quarter of its lifetime.
      updateAge: Math.max(60, Math.round(maxAgeSeconds / 4)),
      cookieCache: { enabled: false },
    },
    account: { accountLinking: { enabled: true, trustedProviders: [OIDC_PROVIDER_ID] } },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    // Password guessing is slowed per client address (the X-Forwarded-For set by the web server or
    // the proxy in front): at most 10 tries without a 10 s pause. better-auth's default for sign-in
    // (3) locks out a team signing in together behind one office NAT. On in production builds
    // (better-auth's default), counted in Postgres (rate_limits) so every web instance shares one count.
    rateLimit: {
      ...(setup.rateLimitEnabled === undefined ? {} : { enabled: setup.rateLimitEnabled }),
      storage: "database",
      modelName: "rateLimit",
      customRules: {
        "/sign-in/email": { window: 10, max: 10 },
        "/sign-in/social": { window: 10, max: 20 },
      },
    },
    // UUIDs made here (the tables have no id defaults), like our own rows.
    advanced: { cookiePrefix: AUTH_COOKIE_PREFIX, database: { generateId: () => randomUUID() } },
    onAPIError: { errorURL: "/sign-in" },
    logger: {
      log: (level, message) => {
        if (level === "error") log.error({ component: "auth" }, message);
        else if (level === "warn") log.warn({ component: "auth" }, message);
        else log.debug({ component: "auth" }, message);
      },
    },
    telemetry: { enabled: false },
    databaseHooks: {
      user: {
        create: {
          before: (user) => {
            const pending = pendingRoles.get(user.email.toLowerCase());
            if (!pending) return Promise.resolve();
            pendingRoles.delete(user.email.toLowerCase());
            return Promise.resolve({ data: { ...user, role: pending.role } });
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const [row] = await db.select({ disabledAt: schema.users.disabledAt }).from(schema.users).where(eq(schema.users.id, session.userId));
            if (row?.disabledAt) throw new APIError("FORBIDDEN", { message: "This account is disabled. Ask an admin to enable it." });
          },
        },
      },
    },
    plugins: oidcConfigured
      ? [
          genericOAuth({
            config: [
              {
                providerId: OIDC_PROVIDER_ID,
                name: env.OIDC_LABEL,
                discoveryUrl: `${env.OIDC_ISSUER!.replace(/\/+$/, "")}/.well-known/openid-configuration`,
                clientId: env.OIDC_CLIENT_ID!,
                clientSecret: env.OIDC_CLIENT_SECRET!,
                scopes: env.OIDC_SCOPES.split(/\s+/).filter(Boolean),
                pkce: true,
                requireIdTokenVerification: true,
              },
            ],
          }),
        ]
      : [],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * Where people reach Nightshift: NIGHTSHIFT_PUBLIC_URL when set (behind a proxy, in production),
 * else the local address on PORT under any of its usual names, so a local run works from
 * 127.0.0.1 and localhost alike. Sign-in POSTs must come from there (better-auth's origin check).
 */
function baseUrlOf(env: AuthSetup["env"]) {
  if (env.NIGHTSHIFT_PUBLIC_URL) return env.NIGHTSHIFT_PUBLIC_URL.replace(/\/+$/, "");
  const names = [...new Set(["127.0.0.1", "localhost", env.HOSTNAME === "0.0.0.0" ? "localhost" : env.HOSTNAME])];
  return { allowedHosts: names.map((name) => `${name}:${env.PORT}`), fallback: `http://127.0.0.1:${env.PORT}`, protocol: "http" as const };
}

function prunePending(pending: Map<string, { at: number }>) {
  const cutoff = Date.now() - 5 * 60_000;
  for (const [email, entry] of pending) if (entry.at < cutoff) pending.delete(email);
}
