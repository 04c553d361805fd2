import type { ModelTierPort } from "../automation/healing/session";
import type { JobHelpers, Task } from "graphile-worker";
import type { z } from "zod";
import type { ArtifactStore } from "@/lib/artifacts/store";
import type { Integrations } from "@/lib/config/integrations";
import type { CrmConnector } from "@/lib/crm/connector";
import type { Database } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import type { JobQueue } from "@/lib/queue/job-queue";
import { TASK_PAYLOADS, type TaskId, type TaskPayload } from "@/lib/queue/tasks";
import type { PortalAdapter } from "../automation/adapter";
import type { SharedBrowser } from "../automation/browser";

/** What every task gets from the worker process. */
export interface TaskDeps {
  db: Database;
  queue: JobQueue;
  log: Logger;
  workerId: string;
  /** Seconds without a heartbeat after which a worker counts as dead. */
  staleAfterSeconds: number;
  runtime: WorkerRuntime;
}

/** The worker's connections to the outside: browser, artifact store, CRM, portals. */
export interface WorkerRuntime {
  browser: SharedBrowser;
  store: ArtifactStore;
  crm: CrmConnector;
  integrations: Integrations;
  adapterFor: (oemId: string) => PortalAdapter | undefined;
  timeouts?: { navigationMs: number; actionMs: number; attemptMs: number };
  /** Healing's model tier (absent: off). */
  modelTier?: ModelTierPort;
}

export type TaskHandler<P> = (payload: P, deps: TaskDeps, helpers: JobHelpers) => Promise<void> | void;

/**
 * A task whose payload is validated by `schema`. Jobs already queued may be older than this code,
 * so the payload is `unknown` until parsed; an invalid payload can never succeed, so it is logged
 * and dropped instead of being retried.
 */
export function defineTaskWith<S extends z.ZodType>(schema: S, handler: TaskHandler<z.infer<S>>): (deps: TaskDeps) => Task {
  return (deps) => async (payload, helpers) => {
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      deps.log.error(
        { task: helpers.job.task_identifier, jobId: helpers.job.id, issues: parsed.error.issues.map((i) => `${i.path.map(String).join(".")}: ${i.message}`) },
        "dropping job with an invalid payload",
      );
      return;
    }
    await handler(parsed.data, deps, helpers);
  };
}

/** One of our tasks, its payload parsed with the schema `addJob` validates with (lib/queue/tasks.ts). */
export function defineTask<T extends TaskId>(task: T, handler: TaskHandler<TaskPayload<T>>): (deps: TaskDeps) => Task {
  // TASK_PAYLOADS[task] is the schema of TaskPayload<T>; TypeScript cannot follow the index through a generic.
  return defineTaskWith(TASK_PAYLOADS[task] as unknown as z.ZodType<TaskPayload<T>>, handler);
}
