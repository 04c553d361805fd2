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
export type CrmWriteStatus = "submitted" | "needs_review" | "failed" | "in_progress";

export interface CrmStatusUpdate {
  status: CrmWriteStatus;
  confirmationNumber?: string | null;
  message?: string | null;
}

export interface CrmNote {
  body: string;
  kind?: string;
}
