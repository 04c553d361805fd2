// /api/auth/* — better-auth: sign-in (email + password, OpenID Connect), its callback, sign-out, session.
// Its own rules apply here (origin check on every POST, signed cookies); Nightshift's role checks
// happen in every other route and page (lib/server/api-route.ts, app/_auth/require-user.ts).
import { getAuth } from "@/lib/server/web-auth";

export const dynamic = "force-dynamic";

export const GET = (request: Request) => getAuth().handler(request);
export const POST = (request: Request) => getAuth().handler(request);
