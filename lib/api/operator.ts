import { z } from "zod";
import { OperatorActionError } from "../runs/operator-actions";
import { ApiError, readBodyLimited } from "./errors";

/**
 * Who acted. The app has no sign-in yet, so every dashboard action is attributed to "dashboard";
 * when authentication lands, this becomes the signed-in user.
 */
export const DASHBOARD_ACTOR = "dashboard";

export const uuidParam = z.uuid();

/**
 * Route handlers have no CSRF protection of their own: a state-changing dashboard request must
 * come from our own origin (browsers always send Origin on cross-site POSTs).
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return; // same-origin navigations and server-side callers
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ApiError("forbidden", "Cross-site requests are not allowed.");
  }
  if (!host || originHost !== host) throw new ApiError("forbidden", "Cross-site requests are not allowed.");
}

/** Parses a small JSON body against a schema; a readable 400 otherwise. */
export async function parseJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const raw = await readBodyLimited(request, 16 * 1024);
  let json: unknown = {};
  if (raw.byteLength > 0) {
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new ApiError("bad_request", "The body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError("bad_request", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return parsed.data;
}

/** Maps an operator action's refusal onto the API's error codes. */
export async function asApi<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof OperatorActionError) throw new ApiError(error.code === "bad_request" ? "bad_request" : error.code, error.message);
    throw error;
  }
}
