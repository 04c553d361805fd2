import { z } from "zod";
import { ROLES, type Role } from "@/lib/auth/roles";

/**
 * The add-person form's rules: the same as lib/auth/users.ts `newLocalUserSchema` (which the API
 * applies), repeated here because that module reaches the database and cannot ship to the browser.
 * The server's field errors land on the same fields, so a drift shows up as a field error, not a
 * silent failure.
 */
export const PASSWORD_MIN = 12;

export const newPersonFormSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(120, "At most 120 characters."),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address.")).pipe(z.string().max(254)),
  role: z.enum(ROLES, "Choose viewer, ops or admin."),
  password: z.string().min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters.`).max(256, "At most 256 characters."),
});

export type NewPersonFormValues = { name: string; email: string; role: Role; password: string };

export const NEW_PERSON_FIELDS = ["name", "email", "role", "password"] as const;

/** What each role may do, in the words the People section and the role picker use. */
export const ROLE_META: Record<Role, { label: string; description: string }> = {
  viewer: { label: "Viewer", description: "Reads every page; changes nothing." },
  ops: { label: "Ops", description: "Runs batches, retries, reclassifies, pauses portals, edits the recipe." },
  admin: { label: "Admin", description: "Everything ops can, plus the schedule, portal credentials and people." },
};
