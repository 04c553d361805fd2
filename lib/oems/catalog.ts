import { sql } from "drizzle-orm";
import { oems } from "@/drizzle/schema";
import type { Database } from "../db/client";

/** An OEM Nightshift files for: identity shown wherever its cases appear. */
export interface OemDefinition {
  id: string;
  label: string;
  /** Brand colour (data, applied inline by the OEM badge). */
  color: string;
  monogram: string;
}

/** The OEMs we have adapters for. Adding an OEM = an entry here + an adapter in jobs/automation/adapters. */
export const OEM_CATALOG: readonly OemDefinition[] = [
  { id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" },
  { id: "borealis", label: "Borealis Machinery", color: "#1d6f42", monogram: "BM" },
  { id: "corvid", label: "Corvid Instruments", color: "#3b3f99", monogram: "CI" },
];

export type OemId = "arden" | "borealis" | "corvid";

export function isKnownOem(id: string): id is OemId {
  return OEM_CATALOG.some((oem) => oem.id === id);
}

/** Upserts the catalog and each OEM's portal URL into `oems` (run by the launcher at start). */
export async function syncOems(db: Database, params: { portalUrls: Record<string, string> }): Promise<void> {
  for (const oem of OEM_CATALOG) {
    await db
      .insert(oems)
      .values({ ...oem, portalUrl: params.portalUrls[oem.id] ?? null })
      .onConflictDoUpdate({
        target: oems.id,
        set: { label: sql`excluded.label`, color: sql`excluded.color`, monogram: sql`excluded.monogram`, portalUrl: sql`excluded.portal_url` },
      });
  }
}
