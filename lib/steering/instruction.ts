import { z } from "zod";

/** The longest instruction Run now takes (and stores on `batches.instruction`). */
export const MAX_INSTRUCTION_LENGTH = 500;

/** An instruction in plain words ("only Corvid and Arden, redaction-sensitive first"). */
export const instructionSchema = z
  .string({ error: "Write an instruction in words" })
  .trim()
  .min(1, "Write an instruction in words")
  .max(MAX_INSTRUCTION_LENGTH, `At most ${MAX_INSTRUCTION_LENGTH} characters`);

/** The body of POST /api/batches/steer. */
export const steerRequestSchema = z.object({ instruction: instructionSchema }).strict();
