import type { TaskList } from "graphile-worker";
import { DELIVER_CRM_UPDATE_TASK } from "@/lib/crm/outbox";
import { SUBMIT_CASE_TASK } from "@/lib/runs/enqueue-run";
import type { TaskDeps } from "./tasks/define-task";
import { deliverCrmUpdate } from "./tasks/deliver-crm-update";
import { pruneHeartbeats } from "./tasks/prune-heartbeats";
import { startNightlyBatch } from "./tasks/start-nightly-batch";
import { submitCase } from "./tasks/submit-case";
import { syncCrm } from "./tasks/sync-crm";

/** The explicit task list: identifier → task. Add new tasks here. */
export function createTaskList(deps: TaskDeps): TaskList {
  return {
    [SUBMIT_CASE_TASK]: submitCase(deps),
    [DELIVER_CRM_UPDATE_TASK]: deliverCrmUpdate(deps),
    sync_crm: syncCrm(deps),
    start_nightly_batch: startNightlyBatch(deps),
    prune_heartbeats: pruneHeartbeats(deps),
  };
}
