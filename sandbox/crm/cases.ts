// CRM case shapes: the create/patch/note request schemas and case construction.

import { z } from "zod";
import { CASE_KINDS, CASE_STATUSES, OEMS, OEM_IDS, oemSupportsKind, type CaseKind, type OemId } from "../domain.js";
import { intBetween, pick, type Random } from "../random.js";
import type { CrmCase, SandboxState } from "../state.js";

export const createCaseSchema = z
  .object({
    oem: z.enum(OEM_IDS),
    kind: z.enum(CASE_KINDS),
    reference: z.string().trim().min(1).max(40).optional(),
    unitId: z.string().trim().min(1).max(64),
    unitModel: z.string().trim().min(1).max(120).optional(),
    unitYear: z.number().int().min(1950).max(2100).nullable().optional(),
    contact: z
      .object({ name: z.string().max(120), email: z.string().max(200), phone: z.string().max(40) })
      .partial()
      .optional(),
    incidentDate: z.iso.date().optional(),
    description: z.string().trim().min(1).max(4000).optional(),
    usage: z.number().min(0).max(10_000_000).optional(),
    category: z.string().optional(),
    acknowledgement: z.boolean().optional(),
    redactionSensitive: z.boolean().optional(),
    priority: z.enum(["normal", "urgent"]).optional(),
  })
  .superRefine((input, ctx) => {
    if (!oemSupportsKind(input.oem, input.kind)) {
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message: `${OEMS[input.oem].name} does not accept "${input.kind}" (accepts ${OEMS[input.oem].kinds.map((k) => k.value).join(", ")})`,
      });
    }
    if (input.category !== undefined && !OEMS[input.oem].categories.some((c) => c.value === input.category)) {
      ctx.addIssue({
        code: "custom",
        path: ["category"],
        message: `unknown category for ${input.oem} (one of ${OEMS[input.oem].categories.map((c) => c.value).join(", ")})`,
      });
    }
  });
export type CreateCaseInput = z.infer<typeof createCaseSchema>;

export const patchCaseSchema = z.strictObject({
  status: z.enum(CASE_STATUSES),
  confirmationNumber: z.string().trim().min(1).max(64).nullable().optional(),
  message: z.string().max(4000).nullable().optional(),
});
export type PatchCaseInput = z.infer<typeof patchCaseSchema>;

export const createNoteSchema = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  kind: z.string().trim().min(1).max(40).optional(),
});

const FIRST_NAMES = ["Maya", "Jonas", "Priya", "Tomás", "Aiko", "Grace", "Omar", "Lena", "Darius", "Sofia", "Kwame", "Hannah", "Mateo", "Ingrid", "Ravi", "Elena"];
const LAST_NAMES = ["Okafor", "Lindqvist", "Patel", "Herrera", "Tanaka", "O'Neill", "Haddad", "Novak", "Rahimi", "Costa", "Mensah", "Becker", "Silva", "Nygaard", "Iyer", "Petrova"];

export function randomContact(random: Random): CrmCase["contact"] {
  const first = pick(random, FIRST_NAMES);
  const last = pick(random, LAST_NAMES);
  const email = `${first}.${last}`.toLowerCase().normalize("NFD").replace(/[^a-z.]/g, "") + "@example.com";
  return { name: `${first} ${last}`, email, phone: `+1 555 ${intBetween(random, 100, 999)} ${intBetween(random, 1000, 9999)}` };
}

export function defaultUsage(oem: OemId, random: Random): number {
  switch (oem) {
    case "arden":
      return intBetween(random, 800, 140_000);
    case "borealis":
      return intBetween(random, 50, 12_000);
    case "corvid":
      return intBetween(random, 200, 90_000);
  }
}

export function dateDaysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export function formatCaseId(seq: number): string {
  return `CRM-${String(seq).padStart(6, "0")}`;
}

export function formatReference(seq: number, now = new Date()): string {
  return `NS-${now.getUTCFullYear()}-${String(seq).padStart(5, "0")}`;
}

const GENERIC_DESCRIPTIONS: Record<CaseKind, string> = {
  warranty_claim: "Customer reports an intermittent fault; part replaced under warranty after diagnosis.",
  recall_completion: "Recall remedy performed per service bulletin; unit inspected and returned to service.",
  emissions_report: "Periodic emissions compliance check completed; readings recorded within limits.",
  safety_incident: "Unexpected behaviour observed during routine use; unit taken out of service pending review.",
};

/** Builds a new case from validated input, filling unspecified fields with plausible values. */
export function buildCase(state: SandboxState, input: CreateCaseInput, random: Random, now = new Date()): CrmCase {
  state.caseSeq += 1;
  const seq = state.caseSeq;
  const profile = OEMS[input.oem];
  const iso = now.toISOString();
  return {
    id: formatCaseId(seq),
    reference: input.reference ?? formatReference(seq, now),
    oem: input.oem,
    kind: input.kind,
    status: "new",
    confirmationNumber: null,
    statusMessage: null,
    priority: input.priority ?? "normal",
    unit: { id: input.unitId, model: input.unitModel ?? pick(random, profile.models), year: input.unitYear ?? null },
    contact: { ...randomContact(random), ...input.contact },
    incidentDate: input.incidentDate ?? dateDaysAgo(intBetween(random, 1, 20), now),
    description: input.description ?? GENERIC_DESCRIPTIONS[input.kind],
    usage: { value: input.usage ?? defaultUsage(input.oem, random), unit: profile.usageUnit },
    category: input.category ?? pick(random, profile.categories).value,
    acknowledgement: input.acknowledgement ?? true,
    redactionSensitive: input.redactionSensitive ?? false,
    createdAt: iso,
    updatedAt: iso,
    notes: [],
  };
}
