// POST /api/triage/groups/:groupId/class — override the error class of every open run of a triage group (audited; the group keeps its fingerprint).
import { z } from "zod";
import { ERROR_CLASSES } from "@/lib/domain/vocabulary";
import { apiRoute } from "@/lib/server/api-route";
import { overrideGroupClass } from "@/lib/triage/group-actions";
import { groupIdSchema } from "@/lib/triage/summary";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ groupId: groupIdSchema });
const bodySchema = z.strictObject({
  errorClass: z.enum(ERROR_CLASSES, "Choose one of the error classes"),
  reason: z.string("Say why the class is wrong").trim().min(3, "Say why, in a few words").max(500, "At most 500 characters"),
});

export const POST = apiRoute(
  { name: "POST /api/triage/groups/:groupId/class", access: { role: "ops" }, params: paramsSchema, body: bodySchema },
  async ({ params, body, deps, actor }) => overrideGroupClass(deps.db, { fingerprint: params.groupId, errorClass: body.errorClass, reason: body.reason, actor: actor.id }),
);
