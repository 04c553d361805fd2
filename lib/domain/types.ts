/**
 * Domain types shared by the worker's adapters, the database module and the web app. Shapes that
 * are stored as JSON have a zod schema here too: rows may be older than the code, so they are
 * parsed where they are read.
 */
import { z } from "zod";
import { ATTEMPT_STATUSES, ERROR_CLASSES, STEP_STATUSES, type ArtifactKind } from "./vocabulary";
import { MISS_KINDS } from "../healing/types";

/** One named step of an attempt, as recorded (`attempts.steps`). */
export const stepRecordSchema = z.object({
  name: z.string(),
  status: z.enum(STEP_STATUSES),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type StepRecord = z.infer<typeof stepRecordSchema>;

/** Evidence of an attempt, addressed by its key in the artifact store (never by URL). */
export interface ArtifactRecord {
  kind: ArtifactKind;
  key: string;
  contentType: string;
  bytes: number;
  step: string | null;
}

/** What an adapter gets to file: the case as the CRM described it. */
export interface CaseForSubmission {
  id: string;
  crmId: string;
  reference: string;
  oemId: string;
  oemLabel: string;
  kind: string;
  formData: Record<string, unknown>;
  redactionSensitive: boolean;
}

const failureAttemptSchema = z.object({
  number: z.number().int(),
  status: z.enum(ATTEMPT_STATUSES),
  errorClass: z.enum(ERROR_CLASSES).nullable(),
  code: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** Artifact keys of the evidence a failure points at (URLs are made when it is read). */
const failureEvidenceSchema = z.object({
  screenshot: z.string().nullable(),
  dom: z.string().nullable(),
  trace: z.string().nullable(),
});
export type FailureEvidence = z.infer<typeof failureEvidenceSchema>;

/** The failure object as stored on the run (`runs.failure`): keys, not links. */
export const storedFailureSchema = z.object({
  /** A sentence a non-engineer understands. */
  reason: z.string(),
  errorClass: z.enum(ERROR_CLASSES),
  code: z.string(),
  lastGoodStep: z.string().nullable(),
  failingStep: z.string().nullable(),
  attempts: z.array(failureAttemptSchema),
  evidence: failureEvidenceSchema,
  portalUrl: z.string().nullable(),
  /** OEM × step × normalised error: equal fingerprints are the same problem. */
  fingerprint: z.string(),
  nextAction: z.string(),
  /** Set by retention (prune_artifacts) when the evidence was deleted: its keys are then null. */
  evidenceExpired: z.object({ at: z.string(), keptDays: z.number().int() }).optional(),
  /** A site_changed fail: the diff against the last good run (lib/healing/records.ts SiteChangeDiff). */
  siteChange: z
    .object({
      targetId: z.string(),
      intent: z.string(),
      step: z.string(),
      missKind: z.enum(MISS_KINDS),
      detail: z.string(),
      ariaBefore: z.string().nullable(),
      ariaAfter: z.string().nullable(),
      lastGoodRunId: z.string().nullable(),
      ranking: z.array(z.object({ name: z.string(), role: z.string().nullable(), score: z.number(), excluded: z.string().nullable() })),
    })
    .optional(),
});
export type StoredFailure = z.infer<typeof storedFailureSchema>;

/**
 * The compact summary of a terminal fail as people and the CRM see it — the same shape in the UI,
 * the API and the CRM note: the stored failure with signed links to its evidence.
 */
export interface FailureObject extends Omit<StoredFailure, "evidence"> {
  screenshotUrl: string | null;
  domSnapshotUrl: string | null;
  traceUrl: string | null;
}

