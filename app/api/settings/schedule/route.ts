// GET /api/settings/schedule — the nightly schedule, in words, with its next slot and deadline.
// PUT /api/settings/schedule — change it (admin; audited); the dispatcher uses it from its next tick.
import { scheduleSchema } from "@/lib/schedule/schedule";
import { getScheduleView, updateSchedule } from "@/lib/schedule/schedule-view";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/settings/schedule", access: { role: "viewer" } }, async ({ deps }) => getScheduleView(deps.db));

export const PUT = apiRoute({ name: "PUT /api/settings/schedule", access: { role: "admin" }, body: scheduleSchema }, async ({ body, deps, actor }) =>
  updateSchedule(deps.db, { schedule: body, actor: actor.id }),
);
