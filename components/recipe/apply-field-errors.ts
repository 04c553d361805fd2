import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

/**
 * Puts field errors (from the schema in the browser, or from the API) on the form's fields.
 * Returns the messages no field claimed (shown above the form), so nothing is dropped silently.
 */
export function applyFieldErrors<T extends FieldValues>(
  setError: UseFormSetError<T>,
  fields: Record<string, string[]>,
  fieldFor: (path: string) => string,
  knownFields: readonly string[],
): string[] {
  const unclaimed: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    const field = fieldFor(path);
    const message = messages.join(" ");
    if (knownFields.some((known) => field === known || field.startsWith(`${known}.`))) setError(field as Path<T>, { type: "validate", message });
    else unclaimed.push(path ? `${path}: ${message}` : message);
  }
  return unclaimed;
}
