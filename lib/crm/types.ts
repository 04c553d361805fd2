import { z } from "zod";

/** A case as the CRM returns it (the fields we use; unknown fields pass through into form data). */
export const crmCaseSchema = z.looseObject({
  id: z.string().min(1).max(100),
  reference: z.string().min(1).max(100),
  oem: z.string().min(1).max(60),
  kind: z.string().min(1).max(60),
  status: z.string().min(1).max(60),
  confirmationNumber: z.string().nullable().optional(),
  priority: z.enum(["normal", "urgent"]).optional(),
  redactionSensitive: z.boolean().optional().default(false),
  updatedAt: z.string(),
  createdAt: z.string().optional(),
});
export type CrmCase = z.infer<typeof crmCaseSchema>;

/** The statuses Nightshift writes back. */
const CRM_WRITE_STATUSES = ["submitted", "needs_review", "failed", "in_progress"] as const;
export type CrmWriteStatus = (typeof CRM_WRITE_STATUSES)[number];

/** A status write-back (stored in the outbox, so parsed when it is read back). */
export const crmStatusUpdateSchema = z.object({
  status: z.enum(CRM_WRITE_STATUSES),
  confirmationNumber: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
});
export type CrmStatusUpdate = z.infer<typeof crmStatusUpdateSchema>;

export const crmNoteSchema = z.object({ body: z.string(), kind: z.string().optional() });
export type CrmNote = z.infer<typeof crmNoteSchema>;
