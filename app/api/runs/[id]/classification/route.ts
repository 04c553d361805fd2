// POST /api/runs/:id/classification — a person overrides the error class of a failed run (audited).
import { z } from "zod";
import { overrideRunClass } from "@/lib/runs/operator-actions";
import { ERROR_CLASSES } from "@/lib/domain/vocabulary";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.uuid() });
const bodySchema = z.strictObject({ errorClass: z.enum(ERROR_CLASSES), reason: z.string().trim().min(3).max(500) });

export const POST = apiRoute(
  { name: "POST /api/runs/:id/classification", access: { role: "ops" }, params: paramsSchema, body: bodySchema },
  async ({ params, body, deps, actor }) => {
    await overrideRunClass(deps.db, { runId: params.id, errorClass: body.errorClass, reason: body.reason, actor: actor.id });
    return { ok: true };
  },
);
