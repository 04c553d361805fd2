import { AppError } from "../errors/app-error";

export const STATE_CHANGING_METHODS: readonly string[] = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * Route handlers have no CSRF protection of their own: a state-changing dashboard request must
 * come from our own origin. Browsers always send Origin on cross-site POSTs (and Sec-Fetch-Site);
 * a request with neither is a same-origin navigation or a server-side caller.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) {
    if (request.headers.get("sec-fetch-site") === "cross-site") throw crossSite();
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

const crossSite = () => new AppError("forbidden", "Cross-site requests are not allowed.");
