import type { PortalAdapter } from "../adapter";
import { arden } from "./arden/adapter";
import { borealis } from "./borealis/adapter";
import { corvid } from "./corvid/adapter";

/** The production adapters by OEM id. */
export const portalAdapters: Record<string, PortalAdapter> = { arden, borealis, corvid };
