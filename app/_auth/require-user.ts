import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { signedInUser, type SignedInUser } from "@/lib/auth/session-actor";
import { hasRole, type Role } from "@/lib/auth/roles";
import { safeNext } from "@/lib/auth/safe-next";
import { getAuth } from "@/lib/server/web-auth";

/** Set by proxy.ts on page requests: where to come back to after signing in (only a hint; never trusted for access). */
export const PATH_HEADER = "x-nightshift-path";

/** One session read per request, however many server components ask. */
const currentUser = cache(async (): Promise<SignedInUser | null> => signedInUser(getAuth(), await headers()));

/**
 * The page-side check (every page calls it; the layout alone is not enough, since pages render on
 * their own): anonymous → /sign-in?next=<this page>; signed in without a role → /no-access; a
 * role below `role` → /no-access?need=<role>.
 */
export async function requireUser(role: Role = "viewer"): Promise<SignedInUser & { role: Role }> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(safeNext((await headers()).get(PATH_HEADER)))}`);
  if (!user.role) redirect("/no-access");
  if (!hasRole(user.role, role)) redirect(`/no-access?need=${role}`);
  return { ...user, role: user.role };
}

/** The signed-in person or null, for pages anyone may open (sign-in, setup, no-access). */
export async function optionalUser(): Promise<SignedInUser | null> {
  return currentUser();
}
