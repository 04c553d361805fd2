// POST /api/heals/:id/reject — reject a proposed heal with a note: the runs held for it are parked for engineering (site_changed, heal_rejected; audited).
import { z } from "zod";
import { rejectHeal } from "@/lib/heals/decide-heal";
import { rejectHealRequestSchema } from "@/lib/heals/heal-requests";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid("That is not a heal id.") });

export const POST = apiRoute(
  { name: "POST /api/heals/:id/reject", access: { role: "ops" }, params: paramsSchema, body: rejectHealRequestSchema },
  async ({ params, body, deps, actor }) => rejectHeal(deps.db, { queue: await deps.queue, store: deps.store }, { healId: params.id, actor: actor.id, note: body.note }),
);
