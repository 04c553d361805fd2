import { hasRole, ROLES, type Role } from "./roles";

/**
 * The role an identity provider's groups grant: the highest role any of the person's groups maps
 * to, else `fallback` (null = no access). Accepts a claim as IdPs send it: an array of strings,
 * or one string (space- or comma-separated). Group names compare exactly (IdPs treat them as ids).
 */
export function roleFromGroups(claim: unknown, mapping: Record<string, Role>, fallback: Role | null): Role | null {
  const groups = groupsOf(claim);
  let best: Role | null = null;
  for (const group of groups) {
    const role = mapping[group];
    if (role && ROLES.includes(role) && (!best || !hasRole(best, role))) best = role;
  }
  return best ?? fallback;
}

function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === "string");
  if (typeof claim === "string") return claim.split(/[\s,]+/).filter(Boolean);
  return [];
}
