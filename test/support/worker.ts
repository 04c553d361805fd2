import type { TaskList } from "graphile-worker";
import { parseEnv } from "@/lib/config/env";
import { resolveIntegrations, type Integrations } from "@/lib/config/integrations";
import { createLogger } from "@/lib/log";
import { findChromium } from "@/jobs/automation/chromium";
import { startWorker, type StartWorkerOptions, type WorkerHandle } from "@/jobs/worker";
import type { TaskDeps } from "@/jobs/tasks/define-task";
import { trackResource } from "./resources";

/** Integrations for tests: the sandbox defaults on the given sandbox port, a throwaway artifact folder, retries in milliseconds. */
export function testIntegrations(overrides: { sandboxPort?: number; artifactsDir?: string; crmToken?: string } = {}): Integrations {
  const base = resolveIntegrations(parseEnv({ SANDBOX_PORT: String(overrides.sandboxPort ?? 4999), CRM_TOKEN: overrides.crmToken }));
  return {
    ...base,
    crmDeliveryPolicy: { maxAttempts: 40, baseDelayMs: 100, maxDelayMs: 1000 },
    artifactsDir: overrides.artifactsDir ?? ".nightshift/test-artifacts",
    retryPolicy: { maxAttempts: 3, baseDelayMs: 200, minDelayMs: 100, maxDelayMs: 1000 },
  };
}

export const quietLog = createLogger({ level: process.env.TEST_LOG_LEVEL ?? "silent", format: "json" });

/** A real graphile-worker on the test database; tracked so a file cannot leave it running. */
export async function startTestWorker(
  databaseUrl: string,
  options: Partial<Omit<StartWorkerOptions, "databaseUrl">> & { taskList?: (deps: TaskDeps) => TaskList } = {},
): Promise<WorkerHandle> {
  const worker = await startWorker({
    databaseUrl,
    log: quietLog,
    concurrency: 2,
    staleAfterSeconds: 60,
    heartbeatIntervalMs: 200,
    pollIntervalMs: 200,
    crontab: "",
    integrations: testIntegrations(),
    chromiumPath: findChromium({ explicitPath: process.env.CHROMIUM_PATH, searchPath: process.env.PATH }),
    ...options,
  });
  const release = trackResource(`worker ${worker.id}`);
  return {
    ...worker,
    async stop() {
      await worker.stop();
      release();
    },
  };
}
