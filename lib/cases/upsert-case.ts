import { sql } from "drizzle-orm";
import { cases } from "@/drizzle/schema";
import type { Db } from "../db/client";
import type { CrmCase } from "../crm/types";

export interface UpsertedCase {
  id: string;
  crmId: string;
  oemId: string;
  status: string;
  created: boolean;
}

/** Fields that are not form data (kept in their own columns). */
const META_FIELDS = new Set(["id", "reference", "oem", "kind", "status", "confirmationNumber", "priority", "redactionSensitive", "updatedAt", "createdAt", "notes", "statusMessage"]);

export function formDataOf(crmCase: CrmCase): Record<string, unknown> {
  return Object.fromEntries(Object.entries(crmCase).filter(([key]) => !META_FIELDS.has(key)));
}

/**
 * Stores the CRM's authoritative view of a case. Our own progress (`status`, confirmation) is
 * never regressed by a CRM update; a stale update (older `updatedAt`) changes nothing.
 */
export async function upsertCaseFromCrm(db: Db, crmCase: CrmCase): Promise<UpsertedCase> {
  const crmUpdatedAt = new Date(crmCase.updatedAt);
  const [row] = await db
    .insert(cases)
    .values({
      crmId: crmCase.id,
      reference: crmCase.reference,
      oemId: crmCase.oem,
      kind: crmCase.kind,
      formData: formDataOf(crmCase),
      redactionSensitive: crmCase.redactionSensitive,
      crmPriority: crmCase.priority ?? "normal",
      crmStatus: crmCase.status,
      // A case the CRM already shows as submitted needs nothing from us.
      status: crmCase.status === "submitted" ? "submitted" : "pending",
      confirmationNumber: crmCase.confirmationNumber ?? null,
      crmUpdatedAt: Number.isNaN(crmUpdatedAt.getTime()) ? null : crmUpdatedAt,
    })
    .onConflictDoUpdate({
      target: cases.crmId,
      set: {
        reference: sql`excluded.reference`,
        kind: sql`excluded.kind`,
        formData: sql`excluded.form_data`,
        redactionSensitive: sql`excluded.redaction_sensitive`,
        crmPriority: sql`excluded.crm_priority`,
        crmStatus: sql`excluded.crm_status`,
        crmUpdatedAt: sql`excluded.crm_updated_at`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${cases.crmUpdatedAt} is null or excluded.crm_updated_at is null or excluded.crm_updated_at >= ${cases.crmUpdatedAt}`,
    })
    .returning({ id: cases.id, crmId: cases.crmId, oemId: cases.oemId, status: cases.status, created: sql<boolean>`xmax = 0` });
  if (row) return row;
  // Stale update: nothing written; return the stored case.
  const [existing] = await db
    .select({ id: cases.id, crmId: cases.crmId, oemId: cases.oemId, status: cases.status })
    .from(cases)
    .where(sql`${cases.crmId} = ${crmCase.id}`);
  if (!existing) throw new Error(`case ${crmCase.id} vanished during upsert`);
  return { ...existing, created: false };
}
