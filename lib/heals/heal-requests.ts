import { z } from "zod";
import type { HEAL_STATUSES } from "../healing/records";

/** The statuses the review queue lists (GET /api/heals?status=…): one schema for the API and the page. */
export const LISTED_HEAL_STATUSES = ["proposed", "approved", "rejected", "reverted"] as const satisfies readonly (typeof HEAL_STATUSES)[number][];

export const listHealsQuerySchema = z.object({
  status: z.enum(LISTED_HEAL_STATUSES, `Status must be one of ${LISTED_HEAL_STATUSES.join(", ")}.`).default("proposed"),
  oem: z.string().trim().min(1, "Name a portal, or leave oem out.").max(64, "That portal id is too long.").optional(),
  limit: z.coerce.number("Limit must be a whole number.").int("Limit must be a whole number.").min(1, "Limit must be at least 1.").max(100, "Limit must be at most 100.").default(50),
});
export type ListHealsQuery = z.infer<typeof listHealsQuerySchema>;

export const MAX_HEAL_NOTE_LENGTH = 500;

/** Approving and reverting take an optional note (kept in the audit log). */
export const healNoteRequestSchema = z.strictObject({
  note: z.string("The note must be text.").trim().max(MAX_HEAL_NOTE_LENGTH, `At most ${MAX_HEAL_NOTE_LENGTH} characters`).optional(),
});

/** Rejecting needs a note: engineering reads it on the parked runs' failure cards. */
export const rejectHealRequestSchema = z.strictObject({
  note: z
    .string("Say why the change is wrong")
    .trim()
    .min(1, "Say why the change is wrong")
    .max(MAX_HEAL_NOTE_LENGTH, `At most ${MAX_HEAL_NOTE_LENGTH} characters`),
});
export type RejectHealRequest = z.infer<typeof rejectHealRequestSchema>;
