import { PASSWORD_MIN as PERSON_PASSWORD_MIN, newLocalUserSchema } from "@/lib/auth/person-schema";
import type { Role } from "@/lib/auth/roles";

/** The add-person form applies the API's own rules (lib/auth/person-schema.ts, browser-safe). */
export const PASSWORD_MIN = PERSON_PASSWORD_MIN;

export const newPersonFormSchema = newLocalUserSchema;

export type NewPersonFormValues = { name: string; email: string; role: Role; password: string };

export const NEW_PERSON_FIELDS = ["name", "email", "role", "password"] as const;

/** What each role may do, in the words the People section and the role picker use. */
export const ROLE_META: Record<Role, { label: string; description: string }> = {
  viewer: { label: "Viewer", description: "Reads every page; changes nothing." },
  ops: { label: "Ops", description: "Runs batches, retries, reclassifies, pauses portals, edits the recipe." },
  admin: { label: "Admin", description: "Everything ops can, plus the schedule, portal credentials and people." },
};
