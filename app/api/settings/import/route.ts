// POST /api/settings/import?preview=1 — what importing a settings file would change, field by field (changes nothing).
// POST /api/settings/import — apply it (admin; one transaction, audited with the diff); a bad file changes nothing.
import { z } from "zod";
import { importSettings } from "@/lib/promote/settings-transfer";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const querySchema = z.object({ preview: z.enum(["1", "0", "true", "false"]).optional() });

export const POST = apiRoute(
  { name: "POST /api/settings/import", access: { role: "admin" }, query: querySchema, body: z.unknown(), maxBodyBytes: 256 * 1024 },
  async ({ body, query, deps, actor }) =>
    importSettings(deps.db, { input: body, bounds: deps.integrations.retryBounds, actor: actor.id, preview: query.preview === "1" || query.preview === "true" }),
);
