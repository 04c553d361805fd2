/**
 * Who may do what. Roles are ordered: each one can do everything the ones before it can
 * (viewer reads, ops act on runs and portals and the recipe, admin changes settings, credentials and people).
 */
export const ROLES = ["viewer", "ops", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whoever a request acts for; `id` (the person's email) is what audit rows record as `actor`. */
export interface Actor {
  id: string;
  /** The users row (absent for system actors such as the scheduler). */
  userId?: string;
  name?: string;
  role: Role;
}

/** True when `role` grants at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
