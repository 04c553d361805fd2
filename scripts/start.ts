// `npm start` (production build) and `npm run dev` (next dev): database, migrations, web app,
// worker and sandbox on one machine; Ctrl-C/SIGTERM stops all of it, Postgres last.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadDotEnv } from "@/lib/config/dotenv";
import { getEnv } from "@/lib/config/env";
import { issueSetupToken, SETUP_PATH } from "@/lib/auth/setup-tokens";
import { hasActiveAdmin } from "@/lib/auth/users";
import { connectDatabase } from "@/lib/db/client";
import { openDatabaseServer } from "@/lib/db/database-server";
import { prepareDatabase } from "@/lib/db/prepare";
import { buildIfStale } from "@/lib/launcher/build-hash";
import { Service } from "@/lib/launcher/supervisor";
import { createLogger } from "@/lib/log";
import { createJobQueue } from "@/lib/queue/job-queue";
import { isAlive, waitFor } from "@/lib/process/processes";

const dev = process.argv.includes("--dev");
const root = process.cwd();
loadDotEnv();
const env = getEnv();
const log = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT, name: "nightshift" });
const runDir = path.join(env.NIGHTSHIFT_DATA_DIR, "run");
const launcherFile = path.join(runDir, "launcher.json");
const firstAdminFile = path.join(env.NIGHTSHIFT_DATA_DIR, "first-admin-url.txt");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

mkdirSync(runDir, { recursive: true });
await stopPreviousLauncher();
writeFileSync(launcherFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), children: [] }));

const services: Service[] = [];
let shuttingDown = false;
let database: Awaited<ReturnType<typeof openDatabaseServer>> | undefined;

let stopping: Promise<never> | undefined;
/** Stops everything once; a second signal (npm forwards its own) waits for the same shutdown. */
function shutdown(reason: string, code = 0): Promise<never> {
  stopping ??= (async () => {
    shuttingDown = true;
    log.info({ reason }, "stopping Nightshift");
    // Worker first (lets in-flight jobs finish), then web and sandbox, then the database.
    for (const service of [...services].reverse()) await service.stop();
    await database?.stop();
    rmSync(launcherFile, { force: true });
    log.info("stopped");
    process.exit(code);
  })();
  return stopping;
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  // Supervised like the other children: a killed embedded PostgreSQL comes back on the same data.
  database = await openDatabaseServer(env, log, { supervise: { onGiveUp: () => void shutdown("the embedded PostgreSQL keeps dying", 1) } });
  await prepareDatabase(database.url, env);
  log.info("database migrated");
  if (!dev) buildIfStale(root, log, process.env);
} catch (error) {
  log.fatal({ err: error }, error instanceof Error ? error.message : "start-up failed");
  await shutdown("start-up failed", 1);
}

const childEnv = {
  ...process.env,
  ...sandboxEnv(),
  DATABASE_URL: database!.url,
  NIGHTSHIFT_SUPERVISED: "on",
  PORT: String(env.PORT),
  HOSTNAME: env.HOSTNAME,
  NODE_ENV: dev ? "development" : "production",
  ...(process.stdout.isTTY && !env.LOG_FORMAT ? { LOG_FORMAT: "pretty" } : {}),
};
const tsx = ["--import", "tsx"];

const sandboxEntry = path.join(root, "sandbox", "main.ts");
if (env.SANDBOX && existsSync(sandboxEntry)) {
  addService({ name: "sandbox", command: process.execPath, args: [...tsx, sandboxEntry], env: childEnv, restartsPerMinute: 5, stopTimeoutMs: 5_000 });
}
addService({
  name: "web",
  command: process.execPath,
  args: dev ? [nextBin, "dev", "--port", String(env.PORT), "--hostname", env.HOSTNAME] : [path.join(root, "scripts", "serve-web.mjs")],
  env: childEnv,
  restartsPerMinute: 5,
  stopTimeoutMs: 10_000,
});
const url = `http://${env.HOSTNAME === "0.0.0.0" ? "localhost" : env.HOSTNAME}:${env.PORT}`;
// CRM notes (written by the worker) need absolute links; the pages keep relative ones.
const workerEnv = { ...childEnv, NIGHTSHIFT_PUBLIC_URL: env.NIGHTSHIFT_PUBLIC_URL ?? url };
addService({ name: "worker", command: process.execPath, args: [...tsx, path.join(root, "jobs", "main.ts")], env: workerEnv, restartsPerMinute: 5, stopTimeoutMs: 45_000 });

if (env.SANDBOX) await queueStartupSync();

const firstAdminLink = await firstAdminLinkIfNeeded();
if (await waitForHealth(`${url}/api/health`, 120_000)) {
  log.info({ url, sandbox: env.SANDBOX ? `http://127.0.0.1:${env.SANDBOX_PORT}` : "off" }, `Nightshift is running — open ${url}`);
  if (firstAdminLink) log.info({ link: firstAdminLink, alsoIn: firstAdminFile }, `Nobody can sign in yet. Create the first admin (this link works once, for 24 hours): ${firstAdminLink}`);
} else {
  log.error({ url }, "the web app did not become healthy in time");
}

/**
 * Demo start-up: pull the sandbox CRM's cases and file whatever is pending, so a newcomer sees a
 * living system. The job key makes repeated starts harmless; a batch is only planned when
 * something is pending.
 */
async function queueStartupSync() {
  const queue = await createJobQueue(database!.url, { log });
  try {
    await queue.addJob({ task: "sync_crm", payload: { thenStartBatch: true }, jobKey: "startup-sync", runAt: new Date(Date.now() + 3_000) });
  } finally {
    await queue.release();
  }
}

/**
 * When no enabled admin exists: a one-time link to create one (printed, and written to
 * NIGHTSHIFT_DATA_DIR/first-admin-url.txt, mode 0600, for scripts and tests). No default password
 * exists anywhere; once an admin exists, the file is removed.
 */
async function firstAdminLinkIfNeeded(): Promise<string | null> {
  const handle = connectDatabase(database!.url, { max: 1, name: "nightshift-launcher" });
  try {
    if (await hasActiveAdmin(handle.db)) {
      rmSync(firstAdminFile, { force: true });
      return null;
    }
    const link = `${env.NIGHTSHIFT_PUBLIC_URL?.replace(/\/+$/, "") ?? url}${SETUP_PATH}?token=${await issueSetupToken(handle.db)}`;
    writeFileSync(firstAdminFile, `${link}\n`, { mode: 0o600 });
    return link;
  } finally {
    await handle.close();
  }
}

/** In sandbox mode: where the sandbox keeps its state, where it sends webhooks, and a local webhook secret. */
function sandboxEnv(): Record<string, string> {
  if (!env.SANDBOX) return {};
  return {
    SANDBOX_PORT: String(env.SANDBOX_PORT),
    SANDBOX_DATA_FILE: path.join(env.NIGHTSHIFT_DATA_DIR, "sandbox", "state.json"),
    NIGHTSHIFT_WEBHOOK_URL: `http://127.0.0.1:${env.PORT}/api/webhooks/crm`,
    CRM_WEBHOOK_SECRET: env.CRM_WEBHOOK_SECRET ?? localWebhookSecret(),
  };
}

/** A per-checkout secret for the sandbox CRM's webhooks, generated once (never a constant in code). */
function localWebhookSecret(): string {
  const file = path.join(env.NIGHTSHIFT_DATA_DIR, "sandbox", "webhook-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `whsec_${randomBytes(24).toString("base64")}`, { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

function addService(spec: ConstructorParameters<typeof Service>[0]) {
  const service = new Service(spec, log, (s) => void shutdown(`${s.spec.name} keeps crashing`, 1));
  services.push(service);
  service.start();
  recordChildren();
}

function recordChildren() {
  const children = services.map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
  writeFileSync(launcherFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), children }));
}

/** A launcher killed with SIGKILL leaves its children (they exit by themselves) and maybe itself alive. */
async function stopPreviousLauncher() {
  if (!existsSync(launcherFile)) return;
  let previous: { pid: number; children: number[] };
  try {
    previous = JSON.parse(readFileSync(launcherFile, "utf8")) as typeof previous;
  } catch {
    return;
  }
  if (previous.pid !== process.pid && isAlive(previous.pid)) {
    log.warn({ pid: previous.pid }, "another Nightshift launcher is running; stopping it first");
    process.kill(previous.pid, "SIGTERM");
    await waitFor(() => !isAlive(previous.pid), 60_000);
  }
  for (const pid of previous.children) {
    if (!isAlive(pid)) continue;
    await waitFor(() => !isAlive(pid), 3_000); // orphans notice their parent is gone within 0.5 s
    if (isAlive(pid)) {
      log.warn({ pid }, "stopping a process left by an earlier launcher");
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
}

async function waitForHealth(healthUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
