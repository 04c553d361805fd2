import { deliverAlert } from "@/lib/alerts/deliveries";
import { defineTask } from "./define-task";

/** One try of one alert delivery (email or signed webhook); schedules its own retry. */
export const deliverAlertTask = defineTask("deliver_alert", async (payload, { db, queue, log, runtime }) => {
  const { alerts, secretKeys } = runtime.integrations;
  await deliverAlert(db, { queue, log, config: alerts, keys: secretKeys }, { deliveryId: payload.deliveryId });
});
