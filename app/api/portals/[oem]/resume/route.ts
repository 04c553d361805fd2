// POST /api/portals/:oem/resume — resume a portal paused after refused credentials (audited).
import { NextResponse } from "next/server";
import { ApiError, withApi } from "@/lib/api/errors";
import { assertSameOrigin, asApi, DASHBOARD_ACTOR } from "@/lib/api/operator";
import { isKnownOem } from "@/lib/oems/catalog";
import { resumePortal } from "@/lib/oems/pause-portal";
import { getWebDeps, getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

export const POST = withApi(getWebLog, "POST /api/portals/:oem/resume", async (request: Request, context: { params: Promise<{ oem: string }> }) => {
  assertSameOrigin(request);
  const { oem } = await context.params;
  if (!isKnownOem(oem)) throw new ApiError("not_found", "No such portal.");
  await asApi(() => resumePortal(getWebDeps().db, { oemId: oem, actor: DASHBOARD_ACTOR }));
  return NextResponse.json({ ok: true });
});
