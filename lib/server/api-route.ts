import { createRouteFactory } from "../http/route";
import { isReadOnly, resolveWebActor } from "./web-auth";
import { getWebDeps, getWebLog } from "./web-deps";

/**
 * The web app's route wrapper: every handler under app/api goes through it.
 *
 *   export const POST = apiRoute({ name: "POST /api/x/:id", access: { role: "ops" }, params, body }, async ({ params, body, deps, actor }) => …);
 *
 * The actor is the signed-in person (session cookie, checked on the server for every request;
 * middleware is no authorization boundary), and NIGHTSHIFT_READ_ONLY refuses every change.
 */
export const apiRoute = createRouteFactory({ deps: getWebDeps, resolveActor: resolveWebActor, readOnly: isReadOnly, log: getWebLog });
