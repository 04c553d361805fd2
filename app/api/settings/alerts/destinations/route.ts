// POST /api/settings/alerts/destinations — an admin adds an email or webhook destination (audited); a webhook's signing secret is in this answer only.
import { z } from "zod";
import { createDestination } from "@/lib/alerts/destinations";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

// The body is validated by createDestination's schema, which answers with sentences ("Enter an email address, e.g. …").
export const POST = apiRoute({ name: "POST /api/settings/alerts/destinations", access: { role: "admin" }, body: z.unknown() }, async ({ body, deps, actor }) =>
  createDestination(deps.db, deps.integrations.secretKeys, { input: body, actor: actor.id }),
);
