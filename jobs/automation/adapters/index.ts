import type { OemId } from "@/lib/oems/catalog";
import type { PortalAdapter } from "../adapter";
import { arden } from "./arden/adapter";
import { borealis } from "./borealis/adapter";
import { corvid } from "./corvid/adapter";

/**
 * The adapter of each OEM, exhaustive by type: an OEM in the catalog without an adapter here (or
 * an adapter filed under another OEM's id) is a compile error — test/unit/adapters/registry.test.ts.
 */
export type PortalAdapterRegistry = { readonly [Id in OemId]: PortalAdapter<Id> };

const registry: PortalAdapterRegistry = { arden, borealis, corvid };

/**
 * The production adapters by OEM id. Also indexable by a plain string (an id read from the
 * database may be one this code does not know: undefined), for callers that have not narrowed it
 * with `isKnownOem` yet.
 */
export const portalAdapters: PortalAdapterRegistry & { readonly [oemId: string]: PortalAdapter | undefined } = registry;
