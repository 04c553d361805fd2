// POST /api/portals/:oem/resume — resume a portal paused after refused credentials (audited).
import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { isKnownOem } from "@/lib/oems/catalog";
import { resumePortal } from "@/lib/oems/pause-portal";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ oem: z.string() });

export const POST = apiRoute({ name: "POST /api/portals/:oem/resume", access: { role: "ops" }, params: paramsSchema }, async ({ params, deps, actor }) => {
  if (!isKnownOem(params.oem)) throw new AppError("not_found", "No such portal.");
  await resumePortal(deps.db, { oemId: params.oem, actor: actor.id });
  return { ok: true };
});
