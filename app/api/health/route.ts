// GET /api/health — database status, live workers and queue depth; 503 when the database is down.
import { getHealth } from "@/lib/health/get-health";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/health", access: "public" }, async ({ deps }) => {
  const health = await getHealth(deps.db, { staleAfterSeconds: deps.env.WORKER_STALE_AFTER_SECONDS });
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
});
