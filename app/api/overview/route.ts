// GET /api/overview — everything the overview page shows, as JSON (its live parts poll this).
import { getOverview } from "@/lib/overview/get-overview";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/overview", access: { role: "viewer" } }, async ({ deps }) =>
  Response.json(await getOverview(deps.db), { headers: { "cache-control": "no-store" } }),
);
