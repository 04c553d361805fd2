// GET /api/health — database status, live workers and queue depth; 503 when the database is down.
import { NextResponse } from "next/server";
import { getEnv } from "@/lib/config/env";
import { getSharedDatabase } from "@/lib/db/shared";
import { getHealth } from "@/lib/health/get-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth(getSharedDatabase().db, { staleAfterSeconds: getEnv().WORKER_STALE_AFTER_SECONDS });
  return NextResponse.json(health, { status: health.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
