// GET /api/portals — every portal's figures for the Portals page (success 24 h / 7 d, p95, last failure, limit, sessions, paused, credential status without secrets).
import { getPortalStats } from "@/lib/portals/portal-stats";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/portals", access: { role: "viewer" } }, async ({ deps }) =>
  Response.json(await getPortalStats(deps.db, { credentialEnvironment: deps.integrations.portals }), { headers: { "cache-control": "no-store" } }),
);
