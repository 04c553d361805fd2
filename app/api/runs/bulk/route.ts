// POST /api/runs/bulk — retry or cancel many runs at once (by ids or by a runs-view filter); one named, audited bulk action. 201 with its id, name and results.
import { bulkActionBodySchema, runBulkAction } from "@/lib/runs/bulk-actions";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  // 5,000 run ids fit in ~200 KiB.
  { name: "POST /api/runs/bulk", access: { role: "ops" }, body: bulkActionBodySchema, maxBodyBytes: 256 * 1024 },
  async ({ body, deps, actor }) => {
    const result = await runBulkAction(deps.db, await deps.queue, { ...body, actor: actor.id, maxAttempts: deps.integrations.retryPolicy.maxAttempts });
    return Response.json(result, { status: 201 });
  },
);
