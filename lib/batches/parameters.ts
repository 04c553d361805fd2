import { z } from "zod";

/**
 * What a batch was planned with, as stored on it (`batches.parameters`). Rows may be older than
 * this code, so it is parsed where it is read; unknown fields are kept.
 */
export const batchParametersSchema = z.looseObject({
  /** Only these OEMs (all when absent). */
  oemIds: z.array(z.string()).optional(),
  /** The morning SLA, in hours after the start. */
  deadlineHours: z.number().optional(),
  /** Why a batch without a schedule started (e.g. "start-up", "soak"). */
  reason: z.string().optional(),
});
export type BatchParameters = z.infer<typeof batchParametersSchema>;
