// POST /api/batches — "Run now": a manual batch with the saved recipe, changed for this batch by any recipe field sent, or exactly `caseIds`; an optional `instruction` (the words a proposal came from, ≤ 500 characters) is stored on the batch.
// GET /api/batches — recent batches, newest first, with run counts (limit, cursor).
import { z } from "zod";
import { fieldErrorResponse } from "@/lib/batches/field-errors";
import { listBatches } from "@/lib/batches/list-batches";
import { runNow } from "@/lib/batches/run-now";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

// The fields are validated against the deployment's retry bounds inside runNow (they depend on config).
const bodySchema = z.record(z.string(), z.unknown());

export const POST = apiRoute({ name: "POST /api/batches", access: { role: "ops" }, body: bodySchema }, async ({ body, deps, actor }) => {
  const result = await runNow(deps.db, await deps.queue, { body, bounds: deps.integrations.retryBounds, actor: actor.id, defaultMaxAttempts: deps.integrations.retryPolicy.maxAttempts });
  if (result.kind === "invalid") return fieldErrorResponse(result.fields);
  if (result.kind === "nothing_to_file") return { batchId: null, caseCount: 0, message: "Nothing is eligible: every chosen case is submitted, already queued or running, or filtered out." };
  return Response.json({ batchId: result.batchId, caseCount: result.caseCount, deadline: result.deadline }, { status: 201 });
});

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.uuid("Not a batch id").optional(),
});

export const GET = apiRoute({ name: "GET /api/batches", access: { role: "viewer" }, query: querySchema }, async ({ query, deps }) => {
  return listBatches(deps.db, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
});
