// GET /api/cases/:id — one case with its runs, attempts, artifacts and CRM write-backs (the case page polls this while it moves).
import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError, withApi } from "@/lib/api/errors";
import { artifactRouteUrl } from "@/lib/cases/queries/artifact-route-url";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { getSharedDatabase } from "@/lib/db/shared";
import { getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

export const GET = withApi(getWebLog, "GET /api/cases/:id", async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const caseId = z.uuid().safeParse((await context.params).id);
  const detail = caseId.success ? await getCaseDetail(getSharedDatabase().db, { caseId: caseId.data, artifactUrl: artifactRouteUrl }) : null;
  if (!detail) throw new ApiError("not_found", "No such case.");
  return NextResponse.json(detail, { headers: { "cache-control": "no-store" } });
});
