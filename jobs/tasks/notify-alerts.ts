import { notifyAlerts } from "@/lib/alerts/notify-alerts";
import { defineTask } from "./define-task";

/** Every minute: queue the alert and digest deliveries that are due (one per destination and message). */
export const notifyAlertsTask = defineTask("notify_alerts", async (_payload, { db, queue, log, runtime }) => {
  const result = await notifyAlerts(db, queue, { config: runtime.integrations.alerts });
  const queued = result.opened + result.reminders + result.resolved + result.digests;
  if (queued > 0 || result.requeued > 0) log.info(result, "alert deliveries queued");
});
