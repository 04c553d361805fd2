import { z } from "zod";
import { ROLES } from "./roles";

// No server imports: the People page's form and the setup page use these in the browser.

/** The rules of a local account, shared by the setup page, the People page, the API and `npm run user`. */
export const PASSWORD_MIN = 12;
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter an email address.")).pipe(z.string().max(254));
export const passwordSchema = z.string().min(PASSWORD_MIN, `At least ${PASSWORD_MIN} characters.`).max(256, "At most 256 characters.");
export const nameSchema = z.string().trim().min(1, "Enter a name.").max(120, "At most 120 characters.");
export const roleSchema = z.enum(ROLES, "Choose viewer, ops or admin.");

export const newLocalUserSchema = z.object({ email: emailSchema, name: nameSchema, role: roleSchema, password: passwordSchema });
export type NewLocalUser = z.infer<typeof newLocalUserSchema>;
