// POST /api/batches — "Run now": plan a manual batch over every pending case (optionally some OEMs only).
import { NextResponse } from "next/server";
import { z } from "zod";
import { withApi } from "@/lib/api/errors";
import { assertSameOrigin, parseJsonBody } from "@/lib/api/operator";
import { startBatch } from "@/lib/batches/start-batch";
import { isKnownOem } from "@/lib/oems/catalog";
import { getJobQueue, getWebDeps, getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  oemIds: z.array(z.string().refine(isKnownOem, { message: "unknown OEM" })).max(20).optional(),
  deadlineHours: z.number().min(1).max(24).optional(),
});

export const POST = withApi(getWebLog, "POST /api/batches", async (request: Request) => {
  assertSameOrigin(request);
  const body = await parseJsonBody(request, bodySchema);
  const { db, integrations } = getWebDeps();
  const deadline = body.deadlineHours ? new Date(Date.now() + body.deadlineHours * 3_600_000) : null;
  const batch = await startBatch(db, await getJobQueue(), { trigger: "manual", maxAttempts: integrations.retryPolicy.maxAttempts, deadline, oemIds: body.oemIds, parameters: body });
  if (!batch) return NextResponse.json({ batchId: null, caseCount: 0, message: "Nothing is pending: every case is submitted, running or waiting for a person." });
  return NextResponse.json(batch, { status: 201 });
});
