// GET /api/settings/alerts — alert and digest destinations (no secrets; webhook URLs masked), recent deliveries with their status, and how email and links are configured.
import { getAlertSettings } from "@/lib/alerts/alert-settings";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/settings/alerts", access: { role: "viewer" } }, async ({ deps }) => getAlertSettings(deps.db, deps.integrations.alerts));
