// PATCH /api/settings/alerts/destinations/:id — an admin enables/disables a destination or changes what it receives (audited).
// DELETE /api/settings/alerts/destinations/:id — an admin removes a destination and its delivery history (audited).
import { z } from "zod";
import { deleteDestination, destinationPatchSchema, updateDestination } from "@/lib/alerts/destinations";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid("No such destination.") });

export const PATCH = apiRoute(
  { name: "PATCH /api/settings/alerts/destinations/:id", access: { role: "admin" }, params: paramsSchema, body: destinationPatchSchema },
  async ({ params, body, deps, actor }) => updateDestination(deps.db, { id: params.id, patch: body, actor: actor.id }),
);

export const DELETE = apiRoute({ name: "DELETE /api/settings/alerts/destinations/:id", access: { role: "admin" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  await deleteDestination(deps.db, { id: params.id, actor: actor.id });
});
