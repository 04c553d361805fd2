// POST /api/runs/:id/classification — a person overrides the error class of a failed run (audited).
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, withApi } from "@/lib/api/errors";
import { assertSameOrigin, asApi, DASHBOARD_ACTOR, parseJsonBody, uuidParam } from "@/lib/api/operator";
import { overrideRunClass } from "@/lib/runs/operator-actions";
import { ERROR_CLASSES } from "@/lib/domain/vocabulary";
import { getWebDeps, getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ errorClass: z.enum(ERROR_CLASSES), reason: z.string().trim().min(3).max(500) });

export const POST = withApi(getWebLog, "POST /api/runs/:id/classification", async (request: Request, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request);
  const id = uuidParam.safeParse((await context.params).id);
  if (!id.success) throw new ApiError("not_found", "No such run.");
  const body = await parseJsonBody(request, bodySchema);
  await asApi(() => overrideRunClass(getWebDeps().db, { runId: id.data, errorClass: body.errorClass, reason: body.reason, actor: DASHBOARD_ACTOR }));
  return NextResponse.json({ ok: true });
});
