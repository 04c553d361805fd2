// POST /api/heals/:id/approve — approve a proposed heal: the portal's next resolution version, written to the replay cache; the runs held for it are queued again (audited).
import { z } from "zod";
import { approveHeal } from "@/lib/heals/decide-heal";
import { healNoteRequestSchema } from "@/lib/heals/heal-requests";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid("That is not a heal id.") });

export const POST = apiRoute(
  { name: "POST /api/heals/:id/approve", access: { role: "ops" }, params: paramsSchema, body: healNoteRequestSchema },
  async ({ params, body, deps, actor }) => approveHeal(deps.db, await deps.queue, { healId: params.id, actor: actor.id, note: body.note }),
);
