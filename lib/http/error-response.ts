import { APP_ERROR_STATUS, type AppErrorCode, type FieldErrors } from "../errors/app-error";

/**
 * The one JSON shape of every API error: `{ "error": { "code", "message" } }`, plus `fields`
 * (messages by dotted field path) when the input was invalid, the same ones a form shows.
 */
export interface ErrorBody {
  error: { code: AppErrorCode; message: string; fields?: FieldErrors };
}

export function errorResponse(code: AppErrorCode, message: string, headers?: HeadersInit, fields?: FieldErrors): Response {
  const body: ErrorBody = { error: fields ? { code, message, fields } : { code, message } };
  return Response.json(body, { status: APP_ERROR_STATUS[code], headers });
}

/** What users read when something unexpected broke: a plain sentence, never a stack trace. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side; it has been logged.";
