import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";

export interface WorkerProcessOptions {
  databaseUrl: string;
  sandboxPort: number;
  crmToken: string;
  artifactsDir: string;
  /** Extra or overriding environment (WORKER_CONCURRENCY, SCHEDULE_TICK_SECONDS, LOG_LEVEL …). */
  env?: Record<string, string>;
  stdio?: StdioOptions;
}

/**
 * A worker in its own process, the way `npm start` runs it (`jobs/main.ts` under tsx), against the
 * test database and sandbox, so a test can SIGKILL it for real. Declares others dead after 10 s.
 */
export function spawnWorkerProcess(options: WorkerProcessOptions): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "jobs/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      NIGHTSHIFT_SUPERVISED: "on",
      SANDBOX: "on",
      SANDBOX_PORT: String(options.sandboxPort),
      CRM_TOKEN: options.crmToken,
      WORKER_STALE_AFTER_SECONDS: "10",
      ARTIFACTS_DIR: options.artifactsDir,
      LOG_LEVEL: "silent",
      LOG_FORMAT: "json",
      ...options.env,
    },
    stdio: options.stdio ?? "ignore",
  });
}
