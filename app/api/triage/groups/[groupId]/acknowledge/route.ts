// POST /api/triage/groups/:groupId/acknowledge — mark a triage group as looked at, with a note (audited).
// DELETE /api/triage/groups/:groupId/acknowledge — clear it (audited).
import { z } from "zod";
import { apiRoute } from "@/lib/server/api-route";
import { acknowledgeGroup, clearAcknowledgement } from "@/lib/triage/group-actions";
import { groupIdSchema } from "@/lib/triage/summary";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ groupId: groupIdSchema });
const bodySchema = z.strictObject({ note: z.string("Write a note").trim().min(1, "Write a note: what you found, or who is on it").max(500, "At most 500 characters") });

export const POST = apiRoute(
  { name: "POST /api/triage/groups/:groupId/acknowledge", access: { role: "ops" }, params: paramsSchema, body: bodySchema },
  async ({ params, body, deps, actor }) => acknowledgeGroup(deps.db, { fingerprint: params.groupId, note: body.note, actor: actor.id }),
);

export const DELETE = apiRoute({ name: "DELETE /api/triage/groups/:groupId/acknowledge", access: { role: "ops" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  await clearAcknowledgement(deps.db, { fingerprint: params.groupId, actor: actor.id });
});
