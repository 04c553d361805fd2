import { z } from "zod";
import { CASE_LIST_STATUSES } from "../case-list-statuses";


/** A search param arrives as a string, a repeated string or nothing; the first value counts. */
const first = (value: unknown) => (Array.isArray(value) ? (value as unknown[])[0] : value);

const optionalText = (max: number) =>
  z.preprocess(
    first,
    z
      .string()
      .trim()
      .max(max)
      .transform((value) => (value === "" ? undefined : value))
      .optional(),
  );

/**
 * The `/cases` URL filters. Each field is parsed on its own and an invalid value is dropped
 * (`catch`), so a hand-edited URL never breaks the page.
 */
const caseListParamsSchema = z.object({
  q: optionalText(100).catch(undefined),
  oem: z.preprocess(first, z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/).optional()).catch(undefined),
  status: z.preprocess(first, z.enum(CASE_LIST_STATUSES).optional()).catch(undefined),
  page: z.preprocess(first, z.coerce.number().int().min(1).max(100_000).optional()).catch(undefined),
});
export type CaseListParams = z.infer<typeof caseListParamsSchema>;

/** Parses `searchParams` of the list page; never throws. */
export function parseCaseListParams(raw: Record<string, string | string[] | undefined>): CaseListParams {
  return caseListParamsSchema.parse(raw);
}
