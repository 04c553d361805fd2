import { createAuth, type Auth } from "../auth/auth";
import { sessionActorResolver } from "../auth/session-actor";
import { getEnv } from "../config/env";
import type { Database } from "../db/client";
import { getSharedDatabase } from "../db/shared";
import { resolveSecretKeys } from "../secrets/secret-key";
import { getWebLog } from "./web-deps";

const globalForAuth = globalThis as typeof globalThis & { nightshiftAuth?: { db: Database; auth: Auth } };

/** The web process's better-auth instance, built on first use and shared by every route and page bundle (rebuilt if the shared pool was replaced). */
export function getAuth(): Auth {
  const { db } = getSharedDatabase();
  if (globalForAuth.nightshiftAuth?.db !== db) {
    globalForAuth.nightshiftAuth = { db, auth: createAuth({ db, env: getEnv(), keys: resolveSecretKeys(getEnv()), log: getWebLog() }) };
  }
  return globalForAuth.nightshiftAuth.auth;
}

/** The route wrapper's actor: the signed-in person (session cookie), checked on every request. */
export const resolveWebActor = sessionActorResolver(getAuth);

export const isReadOnly = () => getEnv().NIGHTSHIFT_READ_ONLY;
