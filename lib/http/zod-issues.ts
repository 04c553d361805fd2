import type { z } from "zod";

/** "errorClass: Invalid option…; reason: Too small…" — zod issues as one readable sentence. */
export function formatZodIssues(error: z.ZodError, root: string): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || root}: ${issue.message}`).join("; ");
}
