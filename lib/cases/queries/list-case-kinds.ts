import { asc } from "drizzle-orm";
import { cases } from "@/drizzle/schema";
import type { Db } from "../../db/client";

/** The case kinds Nightshift has seen (for the recipe's kind filter), alphabetically. */
export async function listCaseKinds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ kind: cases.kind })
    .from(cases)
    .groupBy(cases.kind)
    .orderBy(asc(cases.kind))
    .limit(200);
  return rows.map((r) => r.kind);
}
