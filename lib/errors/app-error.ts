/**
 * The one error type of the app. Domain code throws `AppError` with a code; the HTTP edge maps the
 * code to a status in one place (`APP_ERROR_STATUS`), so a rule such as "that portal is not
 * paused" reads the same in a route, a server action or a script.
 */
export const APP_ERROR_CODES = ["bad_request", "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large", "unprocessable", "unavailable", "internal"] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

/** One code → one HTTP status. */
export const APP_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<AppErrorCode, number>;

/** Field errors of a rejected input, by dotted path ("retry.maxAttempts"); "" is the whole input. */
export type FieldErrors = Record<string, string[]>;

export class AppError<C extends AppErrorCode = AppErrorCode> extends Error {
  /** Per-field messages when the input was invalid (forms show them beside their fields). */
  readonly fields?: FieldErrors;

  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown; fields?: FieldErrors },
  ) {
    super(message, options);
    this.name = "AppError";
    if (options?.fields) this.fields = options.fields;
  }

  get status(): (typeof APP_ERROR_STATUS)[C] {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
