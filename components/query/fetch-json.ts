/**
 * JSON over HTTP for the dashboard's queries and mutations. Our API answers errors as
 * `{ error: { code, message } }` with a sentence meant for people; that sentence becomes the
 * thrown error's message, so a toast can show it as is.
 */

/** A value as it arrives over JSON: dates are ISO strings (parse them at the edge). */
export type Jsonified<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Jsonified<U>[]
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

export class ApiRequestError extends Error {
  constructor(
    /** The HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The API's error code (`bad_request`, `not_found`, …), `network` or `unknown`. */
    readonly code: string,
    message: string,
    /** Field errors of a rejected input, by dotted path (the same ones the form's schema gives). */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

function errorOf(body: unknown): { code: string; message: string; fields: Record<string, string[]> } | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const { error } = body;
  if (typeof error !== "object" || error === null) return null;
  const code = "code" in error && typeof error.code === "string" ? error.code : "unknown";
  const message = "message" in error && typeof error.message === "string" ? error.message : null;
  const fields: Record<string, string[]> = {};
  if ("fields" in error && typeof error.fields === "object" && error.fields !== null) {
    for (const [key, value] of Object.entries(error.fields)) {
      if (typeof value === "string") fields[key] = [value];
      else if (Array.isArray(value)) fields[key] = value.filter((m): m is string => typeof m === "string");
    }
  }
  return message ? { code, message, fields } : null;
}

/** Fetches JSON; a non-2xx answer throws an {@link ApiRequestError} with the API's sentence (or `fallback`). */
export async function fetchJson<T>(url: string, init: RequestInit & { fallback?: string } = {}): Promise<T> {
  const { fallback = "Something went wrong on our side; please try again.", ...request } = init;
  let response: Response;
  try {
    response = await fetch(url, { ...request, headers: { accept: "application/json", ...request.headers } });
  } catch {
    throw new ApiRequestError(0, "network", "Nightshift could not be reached: check the connection and try again.");
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = errorOf(body);
    throw new ApiRequestError(response.status, error?.code ?? "unknown", error?.message ?? fallback, error?.fields ?? {});
  }
  return body as T;
}

/** PUTs `body` as JSON and returns the parsed answer. */
export function putJson<T>(url: string, body: unknown, init: { fallback?: string } = {}): Promise<T> {
  return fetchJson<T>(url, { ...init, method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** POSTs `body` as JSON (no body when undefined) and returns the parsed answer. */
export function postJson<T>(url: string, body?: unknown, init: { fallback?: string } = {}): Promise<T> {
  if (body === undefined) return fetchJson<T>(url, { ...init, method: "POST" });
  return fetchJson<T>(url, { ...init, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** The sentence to show for a failed request. */
export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
