// GET /api/cases/:id — one case with its runs, attempts, artifacts (signed links) and CRM write-backs (the case page polls this while it moves).
import { z } from "zod";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { AppError } from "@/lib/errors/app-error";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/cases/:id", access: { role: "viewer" }, params: z.object({ id: z.uuid() }) }, async ({ params, deps }) => {
  const { store } = deps;
  const detail = await getCaseDetail(deps.db, { caseId: params.id, artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }) });
  if (!detail) throw new AppError("not_found", "No such case.");
  return Response.json(detail, { headers: { "cache-control": "no-store" } });
});
