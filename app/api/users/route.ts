// GET /api/users — the people who can sign in (admin); POST /api/users — add a person with a local password (admin).
import { createLocalUser, listPeople, newLocalUserSchema } from "@/lib/auth/users";
import { apiRoute } from "@/lib/server/api-route";
import { getAuth } from "@/lib/server/web-auth";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/users", access: { role: "admin" } }, async ({ deps }) => ({ people: await listPeople(deps.db) }));

export const POST = apiRoute({ name: "POST /api/users", access: { role: "admin" }, body: newLocalUserSchema }, async ({ body, deps, actor }) => {
  const person = await createLocalUser(deps.db, getAuth(), body, actor.id);
  return Response.json({ person }, { status: 201 });
});
