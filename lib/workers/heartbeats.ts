import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import { workerHeartbeats } from "@/drizzle/schema";
import type { Database } from "../db/client";

export interface RegisterWorkerParams {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
}

export async function registerWorker(db: Database, params: RegisterWorkerParams): Promise<void> {
  await db.insert(workerHeartbeats).values(params);
}

export async function setWorkerPoolId(db: Database, params: { id: string; poolId: string }): Promise<void> {
  await db.update(workerHeartbeats).set({ poolId: params.poolId }).where(eq(workerHeartbeats.id, params.id));
}

export async function beatWorker(db: Database, params: { id: string }): Promise<void> {
  await db.update(workerHeartbeats).set({ lastSeenAt: sql`now()` }).where(eq(workerHeartbeats.id, params.id));
}

export async function markWorkerStopped(db: Database, params: { id: string }): Promise<void> {
  await db.update(workerHeartbeats).set({ stoppedAt: sql`now()` }).where(eq(workerHeartbeats.id, params.id));
}

export interface StaleWorker {
  id: string;
  poolId: string | null;
  host: string;
  pid: number;
  lastSeenAt: Date;
}

/**
 * Workers that have not beaten for `staleAfterSeconds` and never said goodbye (killed, host
 * lost). `excludeId` is the caller itself, which is alive by definition.
 */
export async function listStaleWorkers(db: Database, params: { staleAfterSeconds: number; excludeId: string }): Promise<StaleWorker[]> {
  return db
    .select({ id: workerHeartbeats.id, poolId: workerHeartbeats.poolId, host: workerHeartbeats.host, pid: workerHeartbeats.pid, lastSeenAt: workerHeartbeats.lastSeenAt })
    .from(workerHeartbeats)
    .where(
      and(
        isNull(workerHeartbeats.stoppedAt),
        ne(workerHeartbeats.id, params.excludeId),
        lt(workerHeartbeats.lastSeenAt, sql`now() - make_interval(secs => ${params.staleAfterSeconds})`),
      ),
    );
}

export interface LiveWorker {
  id: string;
  poolId: string | null;
  host: string;
  pid: number;
  concurrency: number;
  startedAt: Date;
  lastSeenAt: Date;
}

export async function listLiveWorkers(db: Database, params: { staleAfterSeconds: number }): Promise<LiveWorker[]> {
  return db
    .select({
      id: workerHeartbeats.id,
      poolId: workerHeartbeats.poolId,
      host: workerHeartbeats.host,
      pid: workerHeartbeats.pid,
      concurrency: workerHeartbeats.concurrency,
      startedAt: workerHeartbeats.startedAt,
      lastSeenAt: workerHeartbeats.lastSeenAt,
    })
    .from(workerHeartbeats)
    .where(and(isNull(workerHeartbeats.stoppedAt), sql`${workerHeartbeats.lastSeenAt} >= now() - make_interval(secs => ${params.staleAfterSeconds})`))
    .orderBy(workerHeartbeats.startedAt);
}

/** Deletes heartbeat rows of workers stopped more than `olderThanDays` ago. */
export async function pruneStoppedWorkers(db: Database, params: { olderThanDays: number }): Promise<number> {
  const deleted = await db
    .delete(workerHeartbeats)
    .where(lt(workerHeartbeats.stoppedAt, sql`now() - make_interval(days => ${params.olderThanDays})`))
    .returning({ id: workerHeartbeats.id });
  return deleted.length;
}
