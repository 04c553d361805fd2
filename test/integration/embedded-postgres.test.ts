import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
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
});
