import { AppError } from "../errors/app-error";

export const STATE_CHANGING_METHODS: readonly string[] = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Route handlers have no CSRF protection of their own: a state-changing dashboard request must
 * come from our own origin. Browsers send Origin on every POST/PUT/PATCH/DELETE (and
 * Sec-Fetch-Site). A request without Origin is accepted only from a server-side caller that
 * carries no cookies: one that carries a cookie (a session) must say where it comes from, as
 * better-auth's own endpoints require, so a browser that leaves Origin out cannot be used to
 * forge a signed-in person's change.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) {
    const site = request.headers.get("sec-fetch-site");
    if (site === "cross-site" || site === "same-site") throw crossSite();
    if (request.headers.get("cookie")) throw new AppError("forbidden", NO_ORIGIN_MESSAGE);
    return;
  }
  // Behind a proxy the browser's host arrives as x-forwarded-host (first hop first).
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossSite();
  }
  if (!host || originHost.toLowerCase() !== host.toLowerCase()) throw crossSite();
}

/** A signed-in change without an Origin header. */
export const NO_ORIGIN_MESSAGE = "This change did not say which site it comes from (no Origin header): changes are accepted from the Nightshift dashboard only.";

const crossSite = () => new AppError("forbidden", "Cross-site requests are not allowed.");
