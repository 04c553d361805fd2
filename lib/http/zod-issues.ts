import type { z } from "zod";
import type { FieldErrors } from "../errors/app-error";

/** "errorClass: Invalid option…; reason: Too small…" — zod issues as one readable sentence. */
export function formatZodIssues(error: z.ZodError, root: string): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || root}: ${issue.message}`).join("; ");
}

/** zod issues by dotted field path, for forms: `{ "retry.maxAttempts": ["At most 5 attempts"] }`. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}
