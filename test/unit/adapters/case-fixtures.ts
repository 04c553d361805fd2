import type { CaseForSubmission } from "@/lib/domain/types";

/** A case as the worker hands it to an adapter: the CRM case's form data, as `formDataOf` keeps it. */
export function caseFor(oemId: string, kind: string, formData: Record<string, unknown>, reference = "NS-2026-00123"): CaseForSubmission {
  return { id: "5b0c1d2e-0000-4000-8000-000000000001", crmId: "CRM-000123", reference, oemId, oemLabel: oemId, kind, formData, redactionSensitive: false };
}

/** Expects `fn` to throw an AttemptError of this class and code; returns its message. */
export function failure(fn: () => unknown): { errorClass: string; code: string; message: string } {
  try {
    fn();
  } catch (error) {
    const e = error as { errorClass: string; code: string; message: string };
    return { errorClass: e.errorClass, code: e.code, message: e.message };
  }
  throw new Error("expected the mapping to throw");
}
