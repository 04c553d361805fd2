/**
 * The better-auth endpoints the product uses. better-auth mounts many more under /api/auth (update
 * the user, change the email, delete the account, reset a password, link accounts …); each is a
 * way to change who someone is that none of our screens offers, and none obeys our roles or
 * read-only mode. So /api/auth answers only these and refuses the rest with a 404.
 *
 * Signing in and out stay possible in read-only mode: a wall screen must be able to sign in, and a
 * session row is not a change to the night's work.
 */
const ALLOWED: Record<"GET" | "POST", readonly RegExp[]> = {
  GET: [
    /^\/get-session$/, // the dashboard's "who am I" (better-auth's client; harmless read)
    /^\/callback\/[^/]+$/, // the identity provider sends the browser back here (query response mode)
    /^\/error$/, // better-auth's error page redirect target
    /^\/ok$/,
  ],
  POST: [
    /^\/sign-in\/email$/, // local account
    /^\/sign-in\/social$/, // starts the OpenID Connect redirect (provider "oidc")
    /^\/callback\/[^/]+$/, // form_post response mode
    /^\/sign-out$/,
  ],
};

/** The path below /api/auth (`/sign-in/email`), or null when the URL is not under it. */
export function authEndpointOf(pathname: string, basePath = "/api/auth"): string | null {
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return null;
  return pathname.slice(basePath.length).replace(/\/+$/, "") || "/";
}

export function isAllowedAuthEndpoint(method: string, pathname: string): boolean {
  const endpoint = authEndpointOf(pathname);
  if (endpoint === null) return false;
  const rules = ALLOWED[method.toUpperCase() as keyof typeof ALLOWED];
  return rules?.some((rule) => rule.test(endpoint)) ?? false;
}
