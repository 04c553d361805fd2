// GET /api/heals?status=proposed|approved|rejected|reverted&oem=&limit= — the review queue: heals of one status with their changes, diffs, screenshot link and runs.
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/signed-urls";
import { listHealsQuerySchema } from "@/lib/heals/heal-requests";
import { listHeals } from "@/lib/heals/list-heals";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/heals", access: { role: "viewer" }, query: listHealsQuerySchema }, async ({ query, deps }) => {
  const store = deps.store;
  const heals = await listHeals(deps.db, { status: query.status, oemId: query.oem, limit: query.limit, artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui }) });
  return Response.json({ status: query.status, heals }, { headers: { "cache-control": "no-store" } });
});
