import { NextResponse } from "next/server";
import type { Logger } from "../log";

/** One error type with codes, mapped to HTTP status in one place. */
export const API_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorResponse(code: ApiErrorCode, message: string, headers?: HeadersInit): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status: API_ERROR_STATUS[code], headers });
}

/**
 * Wraps a route handler: ApiErrors become their status with a readable message; anything else is
 * logged with context and answered with a plain sentence, never a stack trace.
 */
export function withApi<A extends unknown[]>(log: () => Logger, route: string, handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.code, error.message);
      log().error({ err: error, route }, "unhandled error in route handler");
      return errorResponse("internal", "Something went wrong on our side; it has been logged.");
    }
  };
}

/** Reads a request body, refusing (413) past `maxBytes` without buffering more than that. */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw new ApiError("payload_too_large", `Body larger than ${Math.round(maxBytes / 1024)} KiB.`);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ApiError("payload_too_large", `Body larger than ${Math.round(maxBytes / 1024)} KiB.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
