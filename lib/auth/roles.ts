/**
 * Who may do what. Roles are ordered: each one can do everything the ones before it can
 * (viewer reads, ops act on runs and portals, admin changes settings).
 */
export const ROLES = ["viewer", "ops", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Whoever a request acts for; `id` is what audit rows record as `actor`. */
export interface Actor {
  id: string;
  role: Role;
}

/** True when `role` grants at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
