/**
 * /api/metrics: the bearer-token check and one scrape (figures from Postgres → Prometheus text).
 * Scrapes of one process run one at a time: the registry is shared, and the attempt totals'
 * watermark must advance once per range.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Database } from "../db/client";
import { isTransientDatabaseError } from "../db/retry";
import { AppError } from "../errors/app-error";
import { emptyAttemptTotalsCache, type AttemptTotalsCache } from "./attempt-totals";
import { readMetricFigures } from "./read-figures";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./registry";

export const METRICS_DISABLED_MESSAGE = "Metrics are off. Set METRICS_TOKEN on the web app and scrape /api/metrics with the header \"Authorization: Bearer <token>\".";
export const METRICS_UNAUTHORIZED_MESSAGE = "This needs the metrics bearer token (Authorization: Bearer <METRICS_TOKEN>).";

/** Whether the request carries `Authorization: Bearer <token>`; compared in constant time (hashes of equal length). */
export function hasMetricsToken(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = createHash("sha256").update(match?.[1] ?? "").digest();
  const expected = createHash("sha256").update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

interface MetricsState {
  /** Settled attempt totals per database (tests scrape several from one process). */
  totals: Map<string, AttemptTotalsCache>;
  queue: Promise<unknown>;
}
const globalForMetrics = globalThis as typeof globalThis & { nightshiftMetricsState?: MetricsState };

export interface ServeMetricsParams {
  /** METRICS_TOKEN; unset: the endpoint answers 404 with how to enable it. */
  token: string | undefined;
  staleAfterSeconds: number;
  /** Names the database `db` reads (its attempt totals are cached under it). */
  databaseKey: string;
}

/** Checks the token, reads the figures and renders them; AppErrors for 404, 401 and a database that is down (503). */
export async function serveMetrics(db: Database, request: Request, params: ServeMetricsParams): Promise<Response> {
  if (!params.token) throw new AppError("not_found", METRICS_DISABLED_MESSAGE);
  if (!hasMetricsToken(request, params.token)) throw new AppError("unauthorized", METRICS_UNAUTHORIZED_MESSAGE);
  const state = (globalForMetrics.nightshiftMetricsState ??= { totals: new Map<string, AttemptTotalsCache>(), queue: Promise.resolve() });
  let totals = state.totals.get(params.databaseKey);
  if (!totals) {
    totals = emptyAttemptTotalsCache();
    state.totals.set(params.databaseKey, totals);
  }
  const attemptTotals = totals;
  const scrape = state.queue.then(async () => {
    const started = performance.now();
    const figures = await readMetricFigures(db, { staleAfterSeconds: params.staleAfterSeconds, attemptTotals });
    return renderMetrics(figures, (performance.now() - started) / 1000);
  });
  state.queue = scrape.catch(() => {});
  let body: string;
  try {
    body = await scrape;
  } catch (error) {
    if (isTransientDatabaseError(error)) throw new AppError("unavailable", "The metrics could not be read: the database is unavailable.", { cause: error });
    throw error;
  }
  return new Response(body, { status: 200, headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
}
