import type { Actor, Role } from "./roles";

/**
 * Resolves the actor of a request, or null when nobody is signed in.
 *
 * The app has no sign-in yet, so every dashboard request acts as "dashboard" with every role.
 * The sign-in issue replaces this resolver with the session check (read the session cookie, load
 * the user and their role); the route wrapper then answers 401 for null and 403 for a role that
 * is too low, with no change to any route.
 */
export type ActorResolver = (request: Request, required: Role) => Promise<Actor | null>;

const DASHBOARD_ACTOR: Actor = { id: "dashboard", role: "admin" };

export const resolveDashboardActor: ActorResolver = () => Promise.resolve(DASHBOARD_ACTOR);
