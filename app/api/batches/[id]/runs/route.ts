// GET /api/batches/:id/runs — the batch's runs for its page (open first), paged: ?limit=&offset=&status=.
import { z } from "zod";
import { listBatchRuns } from "@/lib/batches/list-batch-runs";
import { RUN_STATUSES } from "@/lib/domain/vocabulary";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(RUN_STATUSES).optional(),
});

export const GET = apiRoute(
  { name: "GET /api/batches/:id/runs", access: { role: "viewer" }, params: z.object({ id: z.uuid("Not a batch id") }), query: querySchema },
  async ({ params, query, deps }) => listBatchRuns(deps.db, { batchId: params.id, limit: query.limit, offset: query.offset, ...(query.status ? { status: query.status } : {}) }),
);
