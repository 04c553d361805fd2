import type { z } from "zod";
import type { ActorResolver } from "../auth/resolve-actor";
import { hasRole, type Actor, type Role } from "../auth/roles";
import { AppError, isAppError } from "../errors/app-error";
import type { Logger } from "../log";
import { DEFAULT_MAX_JSON_BYTES, parseJsonBody } from "./body";
import { errorResponse, INTERNAL_ERROR_MESSAGE } from "./error-response";
import { assertSameOrigin, STATE_CHANGING_METHODS } from "./same-origin";
import { fieldErrorsOf, formatZodIssues } from "./zod-issues";

/**
 * Who may call a route:
 * - `"public"`: anyone (health);
 * - `"webhook"`: a machine that authenticates itself inside the handler (a signature);
 * - `"signed-url"`: a read whose link carries an expiring signature checked inside the handler (artifacts);
 * - `"setup-token"`: a one-time token in the body authenticates the caller (the first admin);
 * - `"bearer-token"`: a machine sends a configured bearer token, checked inside the handler (metrics);
 * - `{ role }`: a signed-in person with at least that role (see lib/auth/roles.ts).
 */
export type Access = "public" | "webhook" | "signed-url" | "setup-token" | "bearer-token" | { role: Role };

/** Route params as Next.js (and any Web-standard router) hands them over. */
export type RawParams = Record<string, string | string[] | undefined>;
export interface RawRouteContext {
  params?: Promise<RawParams> | RawParams;
}
/** The exported handler: a Web-standard `(Request, { params }) => Response`. */
export type RouteHandler = (request: Request, context: RawRouteContext) => Promise<Response>;

type Parsed<S, Fallback> = S extends z.ZodType ? z.output<S> : Fallback;

export interface RouteOptions<A extends Access, P, Q, B> {
  /** e.g. "POST /api/runs/:id/retry": logged with every unexpected error. */
  name: string;
  access: A;
  /** Route params (`[id]` folders); a mismatch is a 400. */
  params?: P;
  /** Search params (repeated keys become arrays); a mismatch is a 400. */
  query?: Q;
  /** JSON body; malformed JSON or a mismatch is a 400, more than `maxBodyBytes` a 413. Without it the handler may read `request` itself. */
  body?: B;
  maxBodyBytes?: number;
  /**
   * The same-origin rule guards every POST/PUT/PATCH/DELETE. Opt out only for callers that
   * authenticate otherwise, e.g. the CRM webhook and its Standard Webhooks signature.
   */
  crossOrigin?: "allowed: authenticated by signature";
}

export interface RouteContext<D, A extends Access, P, Q, B> {
  request: Request;
  params: Parsed<P, RawParams>;
  query: Parsed<Q, Record<string, string | string[]>>;
  body: Parsed<B, undefined>;
  /** The process's collaborators (db, log, crm, integrations), built on first use. */
  deps: D;
  /** Who acts (audit rows record `actor.id`); null on public and webhook routes. */
  actor: A extends { role: Role } ? Actor : null;
}

/** A handler returns a Response (streams, custom headers) or plain data (→ 200 JSON; undefined → 204). */
export type RouteImplementation<D, A extends Access, P, Q, B> = (context: RouteContext<D, A, P, Q, B>) => unknown;

export interface RouteSetup<D> {
  /** Called lazily, at most once per request, the first time a handler reads `deps`. */
  deps: () => D;
  /** Who is signed in (the web app reads the session: lib/auth/session-actor.ts). */
  resolveActor: ActorResolver;
  /** NIGHTSHIFT_READ_ONLY: every state-changing request by a person is refused (503), whatever their role. */
  readOnly?: () => boolean;
  /** Where unexpected errors are logged. */
  log: () => Logger;
}

/**
 * Builds the one route wrapper of a process. Each route says who may call it and what it takes;
 * the wrapper applies, in order: the same-origin rule (state-changing methods), the actor and
 * role check, read-only mode, params/query/body parsing with zod, then the handler. `AppError`s become
 * `{ error: { code, message } }` with the code's status; anything else is logged with the route
 * and answered with a plain sentence (500).
 */
export function createRouteFactory<D>(setup: RouteSetup<D>) {
  return function route<A extends Access, P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    options: RouteOptions<A, P, Q, B>,
    handler: RouteImplementation<D, A, P, Q, B>,
  ): RouteHandler {
    return async (request, context) => {
      try {
        const changesState = STATE_CHANGING_METHODS.includes(request.method.toUpperCase());
        if (changesState && !options.crossOrigin) assertSameOrigin(request);
        const actor = await resolveAccess(setup.resolveActor, request, options.access);
        if (changesState && options.access !== "webhook" && setup.readOnly?.()) throw new AppError("unavailable", READ_ONLY_MESSAGE);
        const params = parseWith(options.params, (await context?.params) ?? {}, "params");
        const query = parseWith(options.query, searchParamsRecord(request), "query");
        const body = options.body ? await parseJsonBody(request, options.body, options.maxBodyBytes ?? DEFAULT_MAX_JSON_BYTES) : undefined;
        let deps: D | undefined;
        const result = await handler({
          request,
          params,
          query,
          body,
          actor,
          get deps() {
            deps ??= setup.deps();
            return deps;
          },
        } as RouteContext<D, A, P, Q, B>);
        if (result instanceof Response) return result;
        if (result === undefined) return new Response(null, { status: 204 });
        return Response.json(result);
      } catch (error) {
        return toErrorResponse(error, { log: setup.log, route: options.name, request });
      }
    };
  };
}

/** Maps any thrown value to the one error shape; unexpected ones are logged first. */
function toErrorResponse(error: unknown, where: { log: () => Logger; route: string; request: Request }): Response {
  if (isAppError(error)) return errorResponse(error.code, error.message, undefined, error.fields);
  const context = { err: error, route: where.route, method: where.request.method, path: safePath(where.request.url) };
  try {
    where.log().error(context, "unhandled error in route handler");
  } catch {
    // The logger itself could not be built (e.g. an invalid environment): still never lose the error.
    console.error("unhandled error in route handler", context);
  }
  return errorResponse("internal", INTERNAL_ERROR_MESSAGE);
}

/** What everyone reads when NIGHTSHIFT_READ_ONLY refuses a change. */
export const READ_ONLY_MESSAGE = "Nightshift is in read-only mode (NIGHTSHIFT_READ_ONLY): changes are switched off for everyone.";

async function resolveAccess(resolveActor: ActorResolver, request: Request, access: Access): Promise<Actor | null> {
  if (typeof access === "string") return null;
  const actor = await resolveActor(request, access.role);
  if (!actor) throw new AppError("unauthorized", "Sign in to do this.");
  if (!hasRole(actor.role, access.role)) throw new AppError("forbidden", `This needs the ${access.role} role.`);
  return actor;
}

function parseWith(schema: z.ZodType | undefined, value: unknown, root: string): unknown {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", formatZodIssues(parsed.error, root), { fields: fieldErrorsOf(parsed.error) });
  return parsed.data;
}

function searchParamsRecord(request: Request): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const seen = record[key];
    record[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return record;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "?";
  }
}
