import { describe, expect, it } from "vitest";
import { portalAdapters, type PortalAdapterRegistry } from "@/jobs/automation/adapters";
import { isKnownOem, OEM_CATALOG, OEM_IDS, type OemId } from "@/lib/oems/catalog";

// The registry is exhaustive by type; `npm run typecheck` covers this file, so each
// `@ts-expect-error` below fails the typecheck the day the error it expects goes away.

describe("OEM adapter registry", () => {
  it("has an adapter for every OEM in the catalog, each filed under its own id", () => {
    expect(Object.keys(portalAdapters).sort()).toEqual([...OEM_IDS].sort());
    for (const id of OEM_IDS) expect(portalAdapters[id].oemId).toBe(id);
    expect(OEM_CATALOG.map((oem) => oem.id)).toEqual([...OEM_IDS]);
  });

  it("makes a missing or misfiled adapter a compile error", () => {
    // @ts-expect-error — corvid has no adapter
    const missing: PortalAdapterRegistry = { arden: portalAdapters.arden, borealis: portalAdapters.borealis };
    // @ts-expect-error — borealis' adapter filed under arden's id
    const misfiled: PortalAdapterRegistry = { arden: portalAdapters.borealis, borealis: portalAdapters.borealis, corvid: portalAdapters.corvid };
    // @ts-expect-error — any Record<OemId, …> misses a key the same way
    const labels: Record<OemId, string> = { arden: "Arden", borealis: "Borealis" };
    expect([missing, misfiled, labels]).toHaveLength(3);
  });

  it("tells ids from outside the code apart from the catalog's", () => {
    expect(isKnownOem("corvid")).toBe(true);
    expect(isKnownOem("dunmore")).toBe(false);
    expect(portalAdapters["dunmore"]).toBeUndefined();
  });
});
