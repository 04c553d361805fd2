import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { listLiveWorkers } from "../workers/heartbeats";

export interface Health {
  status: "ok" | "degraded" | "down";
  database: { status: "up" | "down"; latencyMs?: number; reason?: string };
  workers: { live: number; list: Array<{ id: string; host: string; pid: number; lastSeenAt: string }> };
  queue: { depth: number | null };
  checkedAt: string;
}

/**
 * The app's health: the database answers, how many workers beat recently, how many jobs wait.
 * "degraded" means the database is up but no worker is alive (nothing would get filed).
 */
export async function getHealth(db: Database, params: { staleAfterSeconds: number; timeoutMs?: number }): Promise<Health> {
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  try {
    await withTimeout(db.execute(sql`select 1`), params.timeoutMs ?? 3000);
  } catch (error) {
    return {
      status: "down",
      database: { status: "down", reason: describeDatabaseError(error) },
      workers: { live: 0, list: [] },
      queue: { depth: null },
      checkedAt,
    };
  }
  const latencyMs = Math.round(performance.now() - started);
  const [workers, depth] = await Promise.all([listLiveWorkers(db, { staleAfterSeconds: params.staleAfterSeconds }), queueDepth(db)]);
  return {
    status: workers.length > 0 ? "ok" : "degraded",
    database: { status: "up", latencyMs },
    workers: { live: workers.length, list: workers.map((w) => ({ id: w.id, host: w.host, pid: w.pid, lastSeenAt: w.lastSeenAt.toISOString() })) },
    queue: { depth },
    checkedAt,
  };
}

/** Work waiting for a worker, from our own tables: runs due now and CRM write-backs not yet delivered. */
async function queueDepth(db: Database): Promise<number | null> {
  try {
    const rows = await db.execute<{ depth: number }>(sql`
      select (select count(*)::int from runs where status = 'queued' or (status = 'retry_scheduled' and next_attempt_at <= now()))
           + (select count(*)::int from outbox where status = 'pending') as depth`);
    return Number(rows[0]?.depth ?? 0);
  } catch {
    return null;
  }
}

function describeDatabaseError(error: unknown): string {
  // drizzle wraps driver errors; the driver's code sits on `cause`.
  const cause = error instanceof Error && error.cause ? error.cause : error;
  const code = (cause as { code?: string }).code;
  if (code === "ECONNREFUSED") return "The database refuses connections (is it running?).";
  if (error instanceof TimeoutError) return "The database did not answer in time.";
  if (code === "57P03") return "The database is starting up.";
  if (code === "57P01" || code === "CONNECTION_ENDED" || code === "CONNECTION_CLOSED") return "The database connection was closed (restart in progress?).";
  return "The database is unavailable.";
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), ms);
    }),
  ]);
}
