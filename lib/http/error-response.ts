import { APP_ERROR_STATUS, type AppErrorCode } from "../errors/app-error";

/** The one JSON shape of every API error: `{ "error": { "code", "message" } }`. */
export interface ErrorBody {
  error: { code: AppErrorCode; message: string };
}

export function errorResponse(code: AppErrorCode, message: string, headers?: HeadersInit): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status: APP_ERROR_STATUS[code], headers });
}

/** What users read when something unexpected broke: a plain sentence, never a stack trace. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; it has been logged.";
