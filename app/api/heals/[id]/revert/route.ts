// POST /api/heals/:id/revert — revert an approved heal: its resolutions leave the replay cache, an earlier approved one of the same target comes back (audited).
import { z } from "zod";
import { revertHeal } from "@/lib/heals/decide-heal";
import { healNoteRequestSchema } from "@/lib/heals/heal-requests";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid("That is not a heal id.") });

export const POST = apiRoute(
  { name: "POST /api/heals/:id/revert", access: { role: "ops" }, params: paramsSchema, body: healNoteRequestSchema },
  async ({ params, body, deps, actor }) => revertHeal(deps.db, { healId: params.id, actor: actor.id, note: body.note }),
);
