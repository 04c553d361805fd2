import { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from "./embedded-postgres";

export interface SupervisedPostgresOptions extends EmbeddedPostgresOptions {
  /** Give up (and call `onGiveUp`) after this many unexpected exits within a minute. */
  restartsPerMinute?: number;
  /** Called after a crash was recovered: the server answers again on the same port and data. */
  onRestart?: (info: { restarts: number; downMs: number }) => void;
  /** Called once when the server keeps dying or cannot be started again; it stays down. */
  onGiveUp: (error: Error) => void;
}

export interface SupervisedPostgres {
  /** The same URL before and after a restart: clients reconnect to it by themselves. */
  url: string;
  dataDir: string;
  port: number;
  /** The current postmaster's pid (changes at each restart). */
  readonly pid: number;
  /** How many times the server was restarted after dying on its own. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * The embedded PostgreSQL as a supervised child, like the launcher's other services: when the
 * postmaster dies on its own (a crash, an OOM kill, a SIGKILL), it is started again on the same
 * data folder and port, where PostgreSQL replays its WAL (crash recovery). Committed data is kept;
 * the web app's and the worker's pools reconnect to the same URL, and work in flight is recovered
 * by the job queue's own rules. A server that keeps dying is given up on rather than restarted in
 * a loop.
 */
export async function superviseEmbeddedPostgres(options: SupervisedPostgresOptions): Promise<SupervisedPostgres> {
  const { log, onGiveUp, onRestart } = options;
  const restartsPerMinute = options.restartsPerMinute ?? 5;
  let current: EmbeddedPostgres = await startEmbeddedPostgres(options);
  let stopping = false;
  let restarts = 0;
  let recentExits: number[] = [];
  /** A restart under way: stop() waits for it, then stops what it started. */
  let restarting: Promise<void> | undefined;

  const watch = (server: EmbeddedPostgres) => {
    void server.exited.then(({ code, signal }) => {
      restarting = restart(server, code, signal);
    });
  };
  const restart = async (server: EmbeddedPostgres, code: number | null, signal: NodeJS.Signals | null) => {
    if (stopping || server !== current) return;
    const downSince = Date.now();
    recentExits = recentExits.filter((t) => downSince - t < 60_000);
    recentExits.push(downSince);
    if (recentExits.length > restartsPerMinute) {
      log.error({ code, signal, exits: recentExits.length }, "embedded PostgreSQL keeps dying; giving up");
      onGiveUp(new Error(`The embedded PostgreSQL died ${recentExits.length} times within a minute (last: ${signal ?? `exit ${code}`}).`));
      return;
    }
    log.error({ code, signal, pid: server.pid }, "embedded PostgreSQL died; restarting it on the same data (crash recovery)");
    try {
      const next = await startEmbeddedPostgres(options);
      if (stopping) {
        await next.stop();
        return;
      }
      current = next;
      restarts += 1;
      const downMs = Date.now() - downSince;
      log.warn({ pid: next.pid, downMs, restarts }, "embedded PostgreSQL is back after a crash");
      onRestart?.({ restarts, downMs });
      watch(next);
    } catch (error) {
      log.error({ err: error }, "embedded PostgreSQL could not be restarted");
      onGiveUp(error instanceof Error ? error : new Error(String(error)));
    }
  };
  watch(current);

  return {
    url: current.url,
    dataDir: current.dataDir,
    port: current.port,
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
