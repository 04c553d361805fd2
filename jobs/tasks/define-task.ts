import type { JobHelpers, Task } from "graphile-worker";
import type { z } from "zod";
import type { ArtifactStore } from "@/lib/artifacts/store";
import type { Integrations } from "@/lib/config/integrations";
import type { CrmConnector } from "@/lib/crm/connector";
import type { Database } from "@/lib/db/client";
import type { Logger } from "@/lib/log";
import type { PortalAdapter } from "../automation/adapter";
import type { SharedBrowser } from "../automation/browser";

/** What every task gets from the worker process. */
export interface TaskDeps {
  db: Database;
  log: Logger;
  workerId: string;
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
}

export type TaskHandler<P> = (payload: P, deps: TaskDeps, helpers: JobHelpers) => Promise<void> | void;

/**
 * A task with a validated payload. Jobs already queued may be older than this code, so the
 * payload is `unknown` until parsed; an invalid payload can never succeed, so it is logged and
 * dropped instead of being retried.
 */
export function defineTask<S extends z.ZodType>(schema: S, handler: TaskHandler<z.infer<S>>): (deps: TaskDeps) => Task {
  return (deps) => async (payload, helpers) => {
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      deps.log.error(
        { task: helpers.job.task_identifier, jobId: helpers.job.id, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) },
        "dropping job with an invalid payload",
      );
      return;
    }
    await handler(parsed.data, deps, helpers);
  };
}
