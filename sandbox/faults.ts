// Fault knobs: how flaky, slow, drifting or hostile the simulated CRM and portals are.
// Everything defaults to "off". PUT /sandbox/admin/faults merges a partial update.

import { z } from "zod";
import { OEM_IDS, type OemId } from "./domain.js";

const rate = z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1");
const latency = z.number().int("must be a whole number of milliseconds").min(0).max(120_000);

export const POPUP_KINDS = ["cookie_wall", "survey", "session_expiry"] as const;
export type PopupKind = (typeof POPUP_KINDS)[number];

export const crmFaultsSchema = z.strictObject({
  /** Share of CRM API requests answered 500 before any effect. */
  error500Rate: rate,
  /** Share of CRM API requests answered 429 with `Retry-After: 1`, before any effect. */
  error429Rate: rate,
  /** Share of CRM API requests that never answer (socket destroyed after the hang cap). */
  hangRate: rate,
  /** Added delay before every CRM API response. */
  latencyMs: latency,
});
export type CrmFaults = z.infer<typeof crmFaultsSchema>;

const maintenanceWindow = z
  .strictObject({ from: z.iso.datetime({ offset: true }), until: z.iso.datetime({ offset: true }) })
  .refine((w) => Date.parse(w.from) < Date.parse(w.until), { message: "from must be before until" });

export const portalFaultsSchema = z.strictObject({
  /** Share of portal requests answered with a random 502/503 error page. */
  error5xxRate: rate,
  latencyMs: latency,
  hangRate: rate,
  /** Share of HTML page views that show a blocking pop-up overlay. */
  popupRate: rate,
  /** Which pop-ups may appear (chosen uniformly among those that fit the page). */
  popupKinds: z.array(z.enum(POPUP_KINDS)).max(POPUP_KINDS.length),
  /** 0 = normal markup; 1 = the first redesign (renamed ids, labels, test ids); 2 = the second (also renamed names, moved fields, a blocking notice). */
  domDriftVersion: z.number().int("must be 0, 1 or 2").min(0, "must be 0, 1 or 2").max(2, "must be 0, 1 or 2 (the portals have two redesigns)"),
  /** Share of page views rendered with drift-1 markup while `domDriftVersion` is 0 (soak mixes); ignored at 1 and 2. */
  domDriftRate: rate,
  /** Share of otherwise valid final submissions the portal refuses with a visible message. */
  rejectRate: rate,
  /** Share of accepted final submissions whose response is lost (502 page, filing kept). */
  lostResponseRate: rate,
  /** true, or a time window: every page answers 503 with a maintenance page. */
  maintenance: z.union([z.boolean(), maintenanceWindow]),
  /** Lock the account after this many consecutive bad logins (0 = never). */
  lockoutAfter: z.number().int().min(0).max(100),
});
export type PortalFaults = z.infer<typeof portalFaultsSchema>;

export interface Faults {
  crm: CrmFaults;
  portals: Record<OemId, PortalFaults>;
}

export const faultsPatchSchema = z.strictObject({
  crm: crmFaultsSchema.partial().optional(),
  portals: z
    .strictObject({
      arden: portalFaultsSchema.partial().optional(),
      borealis: portalFaultsSchema.partial().optional(),
      corvid: portalFaultsSchema.partial().optional(),
    })
    .optional(),
});
export type FaultsPatch = z.infer<typeof faultsPatchSchema>;

export function defaultCrmFaults(): CrmFaults {
  return { error500Rate: 0, error429Rate: 0, hangRate: 0, latencyMs: 0 };
}

export function defaultPortalFaults(): PortalFaults {
  return {
    error5xxRate: 0,
    latencyMs: 0,
    hangRate: 0,
    popupRate: 0,
    popupKinds: [...POPUP_KINDS],
    domDriftVersion: 0,
    domDriftRate: 0,
    rejectRate: 0,
    lostResponseRate: 0,
    maintenance: false,
    lockoutAfter: 0,
  };
}

export function defaultFaults(): Faults {
  return {
    crm: defaultCrmFaults(),
    portals: { arden: defaultPortalFaults(), borealis: defaultPortalFaults(), corvid: defaultPortalFaults() },
  };
}

/** Returns a new knobs object with the (already validated) patch merged in. */
export function mergeFaults(base: Faults, patch: FaultsPatch): Faults {
  const next: Faults = structuredClone(base);
  if (patch.crm) next.crm = { ...next.crm, ...stripUndefined(patch.crm) };
  for (const oem of OEM_IDS) {
    const p = patch.portals?.[oem];
    if (p) next.portals[oem] = { ...next.portals[oem], ...stripUndefined(p) };
  }
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parses a patch; on failure returns a readable one-line reason per problem. */
export function parseFaultsPatch(input: unknown): { ok: true; patch: FaultsPatch } | { ok: false; reason: string } {
  const result = faultsPatchSchema.safeParse(input);
  if (result.success) return { ok: true, patch: result.data };
  return { ok: false, reason: describeZodError(result.error) };
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

export function isUnderMaintenance(faults: PortalFaults, now: Date): boolean {
  const m = faults.maintenance;
  if (typeof m === "boolean") return m;
  const t = now.getTime();
  return t >= Date.parse(m.from) && t < Date.parse(m.until);
}
