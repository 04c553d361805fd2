// GET /api/overview/history — the last nights for the overview: per night and OEM submitted vs terminal fails, the done-by-morning streak, tonight's schedule in words.
import { z } from "zod";
import { getNightHistory, TREND_NIGHTS } from "@/lib/overview/get-night-history";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  nights: z.coerce.number("Nights must be a number").int("Nights must be a whole number").min(7, "At least 7 nights").max(90, "At most 90 nights").default(TREND_NIGHTS),
});

export const GET = apiRoute({ name: "GET /api/overview/history", access: { role: "viewer" }, query: querySchema }, async ({ query, deps }) =>
  Response.json(await getNightHistory(deps.db, { nights: query.nights }), { headers: { "cache-control": "no-store" } }),
);
