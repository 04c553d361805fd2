// POST /api/settings/alerts/destinations/:id/test — an admin sends a test message to a destination (queued like any message; audited).
import { z } from "zod";
import { sendTestMessage } from "@/lib/alerts/alert-settings";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  { name: "POST /api/settings/alerts/destinations/:id/test", access: { role: "admin" }, params: z.object({ id: z.uuid("No such destination.") }) },
  async ({ params, deps, actor }) => sendTestMessage(deps.db, await deps.queue, { destinationId: params.id, actor: actor.id, publicUrl: deps.integrations.alerts.publicUrl }),
);
