// POST /api/runs/:id/retry — retry a failed or parked run (a fresh run, queued at once; audited).
import { NextResponse } from "next/server";
import { ApiError, withApi } from "@/lib/api/errors";
import { assertSameOrigin, asApi, DASHBOARD_ACTOR, uuidParam } from "@/lib/api/operator";
import { retryRun } from "@/lib/runs/operator-actions";
import { getJobQueue, getWebDeps, getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

export const POST = withApi(getWebLog, "POST /api/runs/:id/retry", async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const id = uuidParam.safeParse((await context.params).id);
  if (!id.success) throw new ApiError("not_found", "No such run.");
  const { db, integrations } = getWebDeps();
  const queue = await getJobQueue();
  const next = await asApi(() => retryRun(db, queue, { runId: id.data, actor: DASHBOARD_ACTOR, maxAttempts: integrations.retryPolicy.maxAttempts }));
  return NextResponse.json(next, { status: 201 });
});
