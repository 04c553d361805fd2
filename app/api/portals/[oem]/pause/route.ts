// POST /api/portals/:oem/pause — ops pause a portal by hand, with a reason: its queued cases wait until it is resumed (audited).
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isKnownOem } from "@/lib/oems/catalog";
import { pausePortalByHand } from "@/lib/oems/pause-portal";
import { pausePortalRequestSchema } from "@/lib/portals/pause-request";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ oem: z.string() });

export const POST = apiRoute(
  { name: "POST /api/portals/:oem/pause", access: { role: "ops" }, params: paramsSchema, body: pausePortalRequestSchema },
  async ({ params, body, deps, actor }) => {
    if (!isKnownOem(params.oem)) throw new AppError("not_found", "No such portal.");
    await pausePortalByHand(deps.db, { oemId: params.oem, reason: body.reason, actor: actor.id });
    return { ok: true };
  },
);
