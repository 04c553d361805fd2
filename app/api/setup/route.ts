// POST /api/setup — the first admin, through the launcher's one-time link: creates the account, consumes the link, signs in.
import { z } from "zod";
import { createFirstAdmin } from "@/lib/auth/setup-tokens";
import { emailSchema, nameSchema, passwordSchema } from "@/lib/auth/users";
import { apiRoute } from "@/lib/server/api-route";
import { getAuth } from "@/lib/server/web-auth";

export const dynamic = "force-dynamic";

const bodySchema = z.object({ token: z.string().min(16).max(200), name: nameSchema, email: emailSchema, password: passwordSchema });

export const POST = apiRoute({ name: "POST /api/setup", access: "setup-token", body: bodySchema }, async ({ body, deps, request }) => {
  const auth = getAuth();
  const person = await createFirstAdmin(deps.db, auth, body.token, { name: body.name, email: body.email, password: body.password });
  // Signed in at once: better-auth sets its session cookie on this answer.
  const signedIn = await auth.api.signInEmail({ body: { email: body.email, password: body.password }, headers: request.headers, asResponse: true });
  const response = Response.json({ person }, { status: 201 });
  for (const cookie of signedIn.headers.getSetCookie()) response.headers.append("set-cookie", cookie);
  return response;
});
