import type { Actor, Role } from "./roles";

/**
 * Resolves the actor of a request, or null when nobody is signed in (the route wrapper answers
 * 401 for null and 403 for a role that is too low). The web app's resolver reads the session
 * (lib/auth/session-actor.ts); it may itself throw a 403 AppError (an account without a role).
 */
export type ActorResolver = (request: Request, required: Role) => Promise<Actor | null>;
