// GET /api/settings/export — the schedule, recipe and per-portal limits as a versioned JSON file (Settings → Promote).
import { exportSettings } from "@/lib/promote/settings-transfer";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/settings/export", access: { role: "viewer" } }, async ({ deps, actor }) => {
  const document = await exportSettings(deps.db, { env: deps.env.NIGHTSHIFT_ENV, by: actor.name ?? actor.id });
  const day = document.exportedFrom.at.slice(0, 10);
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="nightshift-settings-${document.exportedFrom.env}-${day}.json"`, "cache-control": "no-store" },
  });
});
