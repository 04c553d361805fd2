/**
 * @deprecated Transitional shim for app/api/artifacts (converted to `apiRoute` from
 * lib/server/api-route.ts when that route lands): delete this folder then. New code uses
 * `AppError` (lib/errors/app-error.ts) and `apiRoute`.
 */
import { toErrorResponse } from "../http/route";
import type { Logger } from "../log";

export { AppError as ApiError } from "../errors/app-error";
export { errorResponse } from "../http/error-response";
export { readBodyLimited } from "../http/body";

/** @deprecated Use `apiRoute` (lib/server/api-route.ts). */
export function withApi<A extends [Request, ...unknown[]]>(log: () => Logger, route: string, handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return toErrorResponse(error, { log, route, request: args[0] });
    }
  };
}
