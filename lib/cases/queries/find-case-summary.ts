import { eq } from "drizzle-orm";
import { cases } from "@/drizzle/schema";
import type { Db } from "../../db/client";

/** A case's id, reference and OEM (for Run now on one case), or null when there is no such case. */
export async function findCaseSummary(db: Db, caseId: string): Promise<{ id: string; reference: string; oemId: string } | null> {
  const [row] = await db.select({ id: cases.id, reference: cases.reference, oemId: cases.oemId }).from(cases).where(eq(cases.id, caseId));
  return row ?? null;
}
