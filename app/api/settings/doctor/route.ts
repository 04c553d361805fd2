// GET /api/settings/doctor — the doctor's report for this environment (Settings → Environment); cached 30 s, ?refresh=1 for a new run.
import { z } from "zod";
import { apiRoute } from "@/lib/server/api-route";
import { getWebDoctorReport } from "@/lib/server/web-doctor";

export const dynamic = "force-dynamic";

const querySchema = z.object({ refresh: z.enum(["1", "0"]).optional() });

export const GET = apiRoute({ name: "GET /api/settings/doctor", access: { role: "viewer" }, query: querySchema }, async ({ query }) => getWebDoctorReport({ refresh: query.refresh === "1" }));
