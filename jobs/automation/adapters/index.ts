import type { PortalAdapter } from "../adapter";

/** The production adapters by OEM id. */
export const portalAdapters: Record<string, PortalAdapter> = {};
