import { z } from "zod";
import { BATCH_ORDERS } from "../domain/vocabulary";

/**
 * What the model answers when it reads an instruction: only batch parameters the recipe has, each
 * null when the instruction leaves it as the recipe has it. Deliberately loose (any string as an
 * OEM id, any whole number as a limit): what the answer MEANS is checked afterwards against the
 * real batch schema and the portals' limits (check-proposal.ts), so a wrong value is refused with
 * a sentence rather than lost in a parse error. Every key is required (nullable instead of
 * optional), and no length limits (OpenAI's strict structured output rejects maxLength), so
 * providers with strict structured output accept the schema; lengths are bounded where used.
 */
export const steerAnswerSchema = z.object({
  reading: z.string().describe("One sentence: what the instruction asks for, in your words."),
  understood: z.boolean().describe("false when the instruction asks for nothing these fields can express."),
  oemIds: z.array(z.string()).nullable().describe("File only these OEM ids (from the list given); [] for every OEM; null to keep the recipe's."),
  caseKinds: z.array(z.string()).nullable().describe("File only these case kinds (from the list given); [] for every kind; null to keep the recipe's."),
  order: z.enum(BATCH_ORDERS).nullable().describe("Which cases go first; null to keep the recipe's."),
  concurrency: z.number().int().nullable().describe("Browser sessions across the whole batch; null to keep the recipe's."),
  portalSessions: z
    .array(z.object({ oemId: z.string(), sessions: z.number().int() }))
    .nullable()
    .describe("Session limits for named portals only; null to keep the recipe's."),
  dryRun: z.boolean().nullable().describe("true: every step up to the final submit, nothing filed; null to keep the recipe's."),
  notExpressible: z.array(z.string()).describe("Parts of the instruction none of these fields can express (e.g. a number of cases)."),
});

export type SteerAnswer = z.output<typeof steerAnswerSchema>;
