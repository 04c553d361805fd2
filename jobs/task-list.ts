import type { Task, TaskList } from "graphile-worker";
import type { TaskId } from "@/lib/queue/tasks";
import type { TaskDeps } from "./tasks/define-task";
import { deliverAlertTask } from "./tasks/deliver-alert";
import { deliverCrmUpdate } from "./tasks/deliver-crm-update";
import { dispatchNightTask } from "./tasks/dispatch-night";
import { pruneArtifactsTask } from "./tasks/prune-artifacts";
import { notifyAlertsTask } from "./tasks/notify-alerts";
import { pruneHeartbeats } from "./tasks/prune-heartbeats";
import { submitCase } from "./tasks/submit-case";
import { syncCrm } from "./tasks/sync-crm";
import { watchBatchesTask } from "./tasks/watch-batches";

/** The explicit task list: every task id of lib/queue/tasks.ts → its task (a missing one fails to compile). */
export function createTaskList(deps: TaskDeps): TaskList {
  const tasks: Record<TaskId, Task> = {
    submit_case: submitCase(deps),
    deliver_crm_update: deliverCrmUpdate(deps),
    sync_crm: syncCrm(deps),
    dispatch_night: dispatchNightTask(deps),
    prune_heartbeats: pruneHeartbeats(deps),
    watch_batches: watchBatchesTask(deps),
    prune_artifacts: pruneArtifactsTask(deps),
    notify_alerts: notifyAlertsTask(deps),
    deliver_alert: deliverAlertTask(deps),
  };
  return tasks;
}
