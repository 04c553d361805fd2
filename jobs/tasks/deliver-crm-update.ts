import { deliverOutboxEntry } from "@/lib/crm/outbox";
import { defineTask } from "./define-task";

/** Delivers one outbox entry to the CRM (idempotency key; retries on its own schedule). */
export const deliverCrmUpdate = defineTask("deliver_crm_update", async (payload, { db, queue, log, runtime }) => {
  await deliverOutboxEntry(db, { crm: runtime.crm, queue, log, policy: runtime.integrations.crmDeliveryPolicy }, { outboxId: payload.outboxId });
});
