import { AppError } from "../errors/app-error";
import type { Auth } from "./auth";
import type { ActorResolver } from "./resolve-actor";
import { ROLES, type Actor, type Role } from "./roles";

/** The signed-in person behind a request, as pages and routes see them. */
export interface SignedInUser {
  userId: string;
  email: string;
  name: string;
  /** null: an SSO account none of whose groups maps to a role. */
  role: Role | null;
}

/**
 * Reads the session cookie (better-auth checks its signature and the session row, expiry
 * included) and loads the person. Null when nobody is signed in or the account is disabled.
 */
export async function signedInUser(auth: Auth, headers: Headers): Promise<SignedInUser | null> {
  const session = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!session) return null;
  const user = session.user as typeof session.user & { role?: unknown; disabledAt?: unknown };
  if (user.disabledAt) return null;
  const role = typeof user.role === "string" && (ROLES as readonly string[]).includes(user.role) ? (user.role as Role) : null;
  return { userId: user.id, email: user.email, name: user.name || user.email, role };
}

/** The route wrapper's resolver: a signed-in person with a role, or null (→ 401); a person without a role → 403. */
export function sessionActorResolver(getAuth: () => Auth): ActorResolver {
  return async (request) => {
    const user = await signedInUser(getAuth(), request.headers);
    if (!user) return null;
    if (!user.role) throw new AppError("forbidden", "Your account has no Nightshift role yet: ask an admin to add you to a Nightshift group.");
    const actor: Actor = { id: user.email, userId: user.userId, name: user.name, role: user.role };
    return actor;
  };
}
