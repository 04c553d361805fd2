// PATCH /api/users/:id — change a person's role, or disable / enable them (admin). Disabling signs them out everywhere.
import { z } from "zod";
import { getPerson, roleSchema, setUserDisabled, setUserRole } from "@/lib/auth/users";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const bodySchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((b) => b.role !== undefined || b.disabled !== undefined, "Give a role or disabled.");

export const PATCH = apiRoute(
  { name: "PATCH /api/users/:id", access: { role: "admin" }, params: z.object({ id: z.uuid("Not a person's id") }), body: bodySchema },
  async ({ params, body, deps, actor }) => {
    if (!(await getPerson(deps.db, params.id))) throw new AppError("not_found", "No such person.");
    if (body.disabled === true && params.id === actor.userId) throw new AppError("conflict", "You cannot disable yourself.");
    let person = body.role ? await setUserRole(deps.db, params.id, body.role, actor.id) : null;
    if (body.disabled !== undefined) person = await setUserDisabled(deps.db, params.id, body.disabled, actor.id);
    return { person };
  },
);
