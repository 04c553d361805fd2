import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { superviseEmbeddedPostgres } from "@/lib/db/supervised-postgres";
import { waitFor } from "@/lib/process/processes";
import { freePort } from "../support/free-port";
import { quietLog } from "../support/worker";

// mkdtemp makes a 0700 folder; open it so these tests use the data folder as given.
const scratch = mkdtempSync(path.join(os.tmpdir(), "ns-embedded-"));
chmodSync(scratch, 0o755);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function query(url: string, text: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe(text);
  } finally {
    await sql.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data across a stop and a restart on the same folder, as a UTF8 cluster", async () => {
    const dataDir = path.join(scratch, "restart", "pg");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, log: quietLog });
    await query(first.url, "create table kept (v text); insert into kept values ('still here')");
    await first.stop();
    const second = await startEmbeddedPostgres({ dataDir, port, log: quietLog });
    try {
      expect(await query(second.url, "select v from kept")).toEqual([{ v: "still here" }]);
      expect(await query(second.url, "show server_encoding")).toEqual([{ server_encoding: "UTF8" }]);
    } finally {
      await second.stop();
    }
  });

  it("starts again after its parent process was killed with SIGKILL (orphaned server, stale postmaster.pid)", async () => {
    const dataDir = path.join(scratch, "killed", "pg");
    const port = await freePort();
    // A parent that starts Postgres, reports ready, and is then SIGKILLed.
    const script = `
      import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { superviseEmbeddedPostgres } from "@/lib/db/supervised-postgres";
import { waitFor } from "@/lib/process/processes";
      import { createLogger } from "@/lib/log";
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, log: createLogger({ level: "silent", format: "json" }) });
      console.log("ready");
      setInterval(() => {}, 1e9);`;
    const parent = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      parent.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      parent.once("exit", () => reject(new Error("parent exited before Postgres was ready")));
    });
    parent.kill("SIGKILL");
    await new Promise((r) => parent.once("exit", r));
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(true);

    const restarted = await startEmbeddedPostgres({ dataDir, port, log: quietLog });
    try {
      expect(await query(restarted.url, "select 1 as ok")).toEqual([{ ok: 1 }]);
    } finally {
      await restarted.stop();
    }
  });

  it.runIf(process.getuid?.() === 0)("runs as root from a folder the postgres user cannot traverse", async () => {
    const privateRoot = mkdtempSync(path.join(scratch, "private-"));
    chmodSync(privateRoot, 0o700);
    const requested = path.join(privateRoot, "repo", ".nightshift", "pg");
    const server = await startEmbeddedPostgres({ dataDir: requested, port: await freePort(), log: quietLog });
    try {
      expect(server.dataDir).not.toBe(requested);
      expect(readFileSync(`${requested}.location`, "utf8").trim()).toBe(server.dataDir);
      expect(await query(server.url, "select current_user as who")).toEqual([{ who: "postgres" }]);
    } finally {
      await server.stop();
      rmSync(path.dirname(server.dataDir), { recursive: true, force: true });
    }
  });

  it("refuses to start on a port that is already taken, naming the fix", async () => {
    const dataDir = path.join(scratch, "busy", "pg");
    // A free port, not a fixed one: other test files start servers on ports of their own in parallel.
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, log: quietLog });
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(scratch, "busy2", "pg"), port, log: quietLog })).rejects.toThrow(/PG_PORT|DATABASE_URL/);
    } finally {
      await first.stop();
    }
  });

  it("when supervised, comes back on the same data and port after the postmaster is SIGKILLed, and an open pool reconnects", async () => {
    const dataDir = path.join(scratch, "supervised", "pg");
    const restarts: number[] = [];
    const gaveUp: Error[] = [];
    const server = await superviseEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      log: quietLog,
      onRestart: ({ restarts: n }) => restarts.push(n),
      onGiveUp: (error) => gaveUp.push(error),
    });
    // One pool across the crash, as the web app and the worker hold theirs.
    const sql = postgres(server.url, { max: 2, onnotice: () => {} });
    try {
      await sql.unsafe("create table committed (v text); insert into committed values ('before the crash')");
      const firstPid = server.pid;
      process.kill(firstPid, "SIGKILL");
      expect(await waitFor(() => restarts.length === 1, 30_000, 100)).toBe(true);
      expect(server.pid).not.toBe(firstPid);
      // The pool's connections died with the server; the next query opens new ones to the same URL.
      const rows = await retry(() => sql.unsafe("select v from committed"));
      expect(rows).toEqual([{ v: "before the crash" }]);
      expect(gaveUp).toEqual([]);
    } finally {
      await sql.end({ timeout: 1 });
      await server.stop();
    }
    expect(existsSync(path.join(server.dataDir, "postmaster.pid"))).toBe(false);
  });

  it("when supervised, gives up on a server that keeps dying instead of restarting it in a loop", async () => {
    const gaveUp: Error[] = [];
    const server = await superviseEmbeddedPostgres({
      dataDir: path.join(scratch, "keeps-dying", "pg"),
      port: await freePort(),
      log: quietLog,
      restartsPerMinute: 1,
      onGiveUp: (error) => gaveUp.push(error),
    });
    try {
      const firstPid = server.pid;
      process.kill(firstPid, "SIGKILL");
      expect(await waitFor(() => server.restarts === 1, 30_000, 100)).toBe(true);
      process.kill(server.pid, "SIGKILL");
      expect(await waitFor(() => gaveUp.length === 1, 30_000, 100)).toBe(true);
      expect(gaveUp[0]!.message).toMatch(/died 2 times within a minute/);
      expect(server.restarts).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

/** A query right after a restart may meet a connection the pool still thinks is open: one more try. */
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch {
    return fn();
  }
}
