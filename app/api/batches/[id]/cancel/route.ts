// POST /api/batches/:id/cancel — cancel a batch: queued runs cancelled, cases pending again, attempts under way finish (audited).
import { z } from "zod";
import { cancelBatch } from "@/lib/batches/cancel-batch";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid("Not a batch id") });
const bodySchema = z.strictObject({ reason: z.string().trim().max(500, "At most 500 characters").optional() });

export const POST = apiRoute({ name: "POST /api/batches/:id/cancel", access: { role: "ops" }, params: paramsSchema, body: bodySchema }, async ({ params, body, deps, actor }) => {
  return cancelBatch(deps.db, await deps.queue, { batchId: params.id, actor: actor.id, reason: body.reason || null });
});
