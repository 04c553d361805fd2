// GET /api/overview — everything the overview page shows, as JSON (its live parts poll this).
import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/errors";
import { getSharedDatabase } from "@/lib/db/shared";
import { getOverview } from "@/lib/overview/get-overview";
import { getWebLog } from "@/lib/server/web-deps";

export const dynamic = "force-dynamic";

export const GET = withApi(getWebLog, "GET /api/overview", async () =>
  NextResponse.json(await getOverview(getSharedDatabase().db), { headers: { "cache-control": "no-store" } }),
);
