// /api/auth/* — better-auth: sign-in (email + password, OpenID Connect), its callback, sign-out, session.
// Only the endpoints the product uses answer (lib/auth/auth-endpoints.ts); better-auth's others
// (update-user, change-email, delete-user, password reset …) are refused with a 404.
// Its own rules apply here (origin check on every POST, signed cookies); Nightshift's role checks
// happen in every other route and page (lib/server/api-route.ts, app/_auth/require-user.ts).
import { isAllowedAuthEndpoint } from "@/lib/auth/auth-endpoints";
import { errorResponse } from "@/lib/http/error-response";
import { getAuth } from "@/lib/server/web-auth";

export const dynamic = "force-dynamic";

function handle(request: Request): Promise<Response> | Response {
  if (!isAllowedAuthEndpoint(request.method, new URL(request.url).pathname)) {
    return errorResponse("not_found", "Nightshift does not offer this sign-in endpoint: people are managed by admins (Settings → People, or npm run user).");
  }
  return getAuth().handler(request);
}

export const GET = handle;
export const POST = handle;
