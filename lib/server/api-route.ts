import { resolveDashboardActor } from "../auth/resolve-actor";
import { createRouteFactory } from "../http/route";
import { getWebDeps, getWebLog } from "./web-deps";

/**
 * The web app's route wrapper: every handler under app/api goes through it.
 *
 *   export const POST = apiRoute({ name: "POST /api/x/:id", access: { role: "ops" }, params, body }, async ({ params, body, deps, actor }) => …);
 *
 * Sign-in slot: `resolveActor` is where the next issue plugs the session check (it replaces
 * `resolveDashboardActor`); every route already declares the role it needs.
 */
export const apiRoute = createRouteFactory({ deps: getWebDeps, resolveActor: resolveDashboardActor, log: getWebLog });
