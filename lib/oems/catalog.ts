import { sql } from "drizzle-orm";
import { oems } from "@/drizzle/schema";
import type { Database } from "../db/client";

/**
 * The OEMs Nightshift files for. `OemId` is derived from this list, and the worker's adapter map
 * is a `Record<OemId, PortalAdapter>`: adding an OEM here without an adapter in
 * jobs/automation/adapters fails to compile.
 */
export const OEM_IDS = ["arden", "borealis", "corvid"] as const;
export type OemId = (typeof OEM_IDS)[number];

/** An OEM Nightshift files for: identity shown wherever its cases appear. */
export interface OemDefinition {
  id: OemId;
  label: string;
  /** Brand colour (data, applied inline by the OEM badge). */
  color: string;
  monogram: string;
}

const OEMS: Record<OemId, Omit<OemDefinition, "id">> = {
  arden: { label: "Arden Motors", color: "#b4232a", monogram: "AM" },
  borealis: { label: "Borealis Machinery", color: "#1d6f42", monogram: "BM" },
  corvid: { label: "Corvid Instruments", color: "#3b3f99", monogram: "CI" },
};

/** The catalog in display order. */
export const OEM_CATALOG: readonly OemDefinition[] = OEM_IDS.map((id) => ({ id, ...OEMS[id] }));

/**
 * Narrows an id from outside the code (CRM data, a URL, a database row older or newer than this
 * code) to an OEM this version knows.
 */
export function isKnownOem(id: string): id is OemId {
  return (OEM_IDS as readonly string[]).includes(id);
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
