// GET /api/metrics — Prometheus text format, read from Postgres at scrape time; needs `Authorization: Bearer <METRICS_TOKEN>`.
import { serveMetrics } from "@/lib/metrics/serve-metrics";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ name: "GET /api/metrics", access: "bearer-token" }, ({ request, deps }) =>
  serveMetrics(deps.db, request, { token: deps.env.METRICS_TOKEN, staleAfterSeconds: deps.env.WORKER_STALE_AFTER_SECONDS, databaseKey: deps.env.DATABASE_URL ?? "embedded" }),
);
