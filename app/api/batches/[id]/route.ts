// GET /api/batches/:id — one batch: its parameters, live progress (per OEM, throughput, projected finish, at risk) and, once built, its morning digest with signed evidence links.
import { z } from "zod";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { AppError } from "@/lib/errors/app-error";
import { getBatchDetail } from "@/lib/overview/get-batch-detail";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/batches/:id", access: { role: "viewer" }, params: z.object({ id: z.uuid("Not a batch id") }) }, async ({ params, deps }) => {
  const detail = await getBatchDetail(deps.db, { batchId: params.id, store: deps.store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  if (!detail) throw new AppError("not_found", "No such batch.");
  return Response.json(detail, { headers: { "cache-control": "no-store" } });
});
