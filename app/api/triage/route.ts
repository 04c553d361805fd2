// GET /api/triage — open terminal fails grouped by fingerprint, in lanes by owner, with counts and sample failure objects (?lane=&oem=&limit=&cursor=).
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { apiRoute } from "@/lib/server/api-route";
import { listTriage } from "@/lib/triage/list-triage";
import { triageQuerySchema } from "@/lib/triage/summary";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/triage", access: { role: "viewer" }, query: triageQuerySchema }, async ({ query, deps }) => {
  const view = await listTriage(deps.db, { lane: query.lane ?? null, oem: query.oem ?? null, limit: query.limit, cursor: query.cursor ?? null, store: deps.store, ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
  return Response.json(view, { headers: { "cache-control": "no-store" } });
});
