import { z } from "zod";
import { deliverOutboxEntry } from "@/lib/crm/outbox";
import { defineTask } from "./define-task";

const payloadSchema = z.object({ outboxId: z.uuid() });

/** Delivers one outbox entry to the CRM (idempotency key; retries on its own schedule). */
export const deliverCrmUpdate = defineTask(payloadSchema, async (payload, { db, log, runtime }) => {
  await deliverOutboxEntry(db, { crm: runtime.crm, log, policy: runtime.integrations.crmDeliveryPolicy }, { outboxId: payload.outboxId });
});
