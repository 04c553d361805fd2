// POST /api/triage/groups/:groupId/retry — retry every open run of a triage group after a fix (one audited bulk action; per-portal limits apply).
import { z } from "zod";
import { apiRoute } from "@/lib/server/api-route";
import { retryGroup } from "@/lib/triage/group-actions";
import { groupIdSchema } from "@/lib/triage/summary";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ groupId: groupIdSchema });

export const POST = apiRoute({ name: "POST /api/triage/groups/:groupId/retry", access: { role: "ops" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  const result = await retryGroup(deps.db, await deps.queue, { fingerprint: params.groupId, actor: actor.id, maxAttempts: deps.integrations.retryPolicy.maxAttempts });
  return Response.json(result, { status: 201 });
});
