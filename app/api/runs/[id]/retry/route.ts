// POST /api/runs/:id/retry — retry a failed or parked run (a fresh run, queued at once; audited).
import { z } from "zod";
import { retryRun } from "@/lib/runs/operator-actions";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid() });

export const POST = apiRoute({ name: "POST /api/runs/:id/retry", access: { role: "ops" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  const next = await retryRun(deps.db, await deps.queue, { runId: params.id, actor: actor.id, maxAttempts: deps.integrations.retryPolicy.maxAttempts });
  return Response.json(next, { status: 201 });
});
