import type { z } from "zod";
import { errorResponse } from "../http/error-response";

/** Field path ("retry.delaySeconds") → what is wrong with it, for the Settings and Run now forms. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], prefix = ""): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[prefix, ...issue.path.map(String), key].filter(Boolean).join(".")] = "Unknown field";
      continue;
    }
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || prefix || "body";
    fields[path] ??= issue.message;
  }
  return fields;
}

/** A 400 in the one error shape, `fields` as every route answers them (messages by dotted path). */
export function fieldErrorResponse(fields: FieldErrors): Response {
  const message = Object.entries(fields)
    .map(([path, text]) => `${path}: ${text}`)
    .join("; ");
  return errorResponse("bad_request", message, undefined, Object.fromEntries(Object.entries(fields).map(([path, text]) => [path, [text]])));
}

