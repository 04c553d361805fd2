// PUT /api/portals/:oem/credentials — an admin sets or rotates a portal's credentials (sealed, audited; never echoed), optionally resuming a portal paused for `auth` and re-queuing its runs.
// DELETE /api/portals/:oem/credentials — an admin removes the stored credentials (the environment's fallback applies again; audited).
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isKnownOem } from "@/lib/oems/catalog";
import { clearPortalCredentials, portalCredentialStatus } from "@/lib/portals/credentials";
import { savePortalCredentials, savePortalCredentialsBodySchema } from "@/lib/portals/save-portal-credentials";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ oem: z.string() });

export const PUT = apiRoute(
  { name: "PUT /api/portals/:oem/credentials", access: { role: "admin" }, params: paramsSchema, body: savePortalCredentialsBodySchema },
  async ({ params, body, deps, actor }) => {
    if (!isKnownOem(params.oem)) throw new AppError("not_found", "No such portal.");
    const integrations = deps.integrations;
    return savePortalCredentials(
      deps.db,
      { keys: integrations.secretKeys, queue: () => deps.queue, maxAttempts: integrations.retryPolicy.maxAttempts },
      { oemId: params.oem, body, actor: actor.id },
    );
  },
);

export const DELETE = apiRoute({ name: "DELETE /api/portals/:oem/credentials", access: { role: "admin" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  if (!isKnownOem(params.oem)) throw new AppError("not_found", "No such portal.");
  await clearPortalCredentials(deps.db, { oemId: params.oem, actor: actor.id });
  return { credentials: await portalCredentialStatus(deps.db, { oemId: params.oem, environment: deps.integrations.portals }) };
});
