// POST /api/batches — "Run now": plan a manual batch over every pending case (optionally some OEMs only).
import { z } from "zod";
import { startBatch } from "@/lib/batches/start-batch";
import { isKnownOem } from "@/lib/oems/catalog";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({
  oemIds: z.array(z.string().refine(isKnownOem, { message: "unknown OEM" })).max(20).optional(),
  deadlineHours: z.number().min(1).max(24).optional(),
});

export const POST = apiRoute({ name: "POST /api/batches", access: { role: "ops" }, body: bodySchema }, async ({ body, deps }) => {
  const deadline = body.deadlineHours ? new Date(Date.now() + body.deadlineHours * 3_600_000) : null;
  const batch = await startBatch(deps.db, await deps.queue, { trigger: "manual", maxAttempts: deps.integrations.retryPolicy.maxAttempts, deadline, oemIds: body.oemIds, parameters: body });
  if (!batch) return { batchId: null, caseCount: 0, message: "Nothing is pending: every case is submitted, running or waiting for a person." };
  return Response.json(batch, { status: 201 });
});
