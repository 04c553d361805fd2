import { z } from "zod";

/** The reason ops give when they pause a portal by hand: one schema for the Pause dialog and POST /api/portals/:oem/pause. */
export const MAX_PAUSE_REASON_LENGTH = 300;

export const pausePortalRequestSchema = z.strictObject({
  reason: z
    .string("Say why the portal is paused")
    .trim()
    .min(1, "Say why the portal is paused")
    .max(MAX_PAUSE_REASON_LENGTH, `At most ${MAX_PAUSE_REASON_LENGTH} characters`),
});
export type PausePortalRequest = z.infer<typeof pausePortalRequestSchema>;
