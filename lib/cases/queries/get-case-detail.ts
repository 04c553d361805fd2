import { asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { artifacts, attempts, batches, cases, oems, outbox, runs } from "@/drizzle/schema";
import type { Database } from "@/lib/db/client";
import type { FailureObject, StepRecord } from "@/lib/domain/types";
import { redactFormData } from "./redact-form-data";

export interface CaseDetailArtifact {
  id: string;
  kind: string;
  /** Where the browser fetches it (`/api/artifacts/<key>`). */
  url: string;
  contentType: string;
  bytes: number;
  step: string | null;
  createdAt: Date;
}

export interface CaseDetailAttempt {
  id: string;
  number: number;
  status: string;
  workerId: string | null;
  steps: StepRecord[];
  lastStep: string | null;
  errorClass: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  artifacts: CaseDetailArtifact[];
}

/** The stored failure object (`FailureObject`, parsed leniently) and the screenshot it links to. */
export type CaseDetailFailure = Omit<FailureObject, "errorClass" | "attempts"> & {
  errorClass: string;
  attempts: Array<{ number: number }>;
  /** The screenshot the failure object links to, with the step and time it was taken. */
  screenshot: CaseDetailArtifact | null;
};

export interface CaseDetailRun {
  id: string;
  status: string;
  batch: { id: string; trigger: string; createdAt: Date } | null;
  attemptCount: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  confirmationNumber: string | null;
  errorClass: string | null;
  errorCode: string | null;
  failure: CaseDetailFailure | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  /** Newest first. */
  attempts: CaseDetailAttempt[];
}

export interface CaseDetailWriteBack {
  id: string;
  runId: string | null;
  /** status | note */
  kind: string;
  /** For status write-backs: the status told to the CRM. */
  crmStatus: string | null;
  confirmationNumber: string | null;
  /** pending | delivered | failed */
  status: string;
  deliveryAttempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface CaseDetail {
  id: string;
  crmId: string;
  reference: string;
  kind: string;
  /** The case's own status column. */
  status: string;
  /** Our status as shown: the latest run's while it is open (queued, running, retry scheduled), else the case's. */
  displayStatus: string;
  crmStatus: string;
  confirmationNumber: string | null;
  redactionSensitive: boolean;
  /** Contact details already masked when the case is redaction-sensitive. */
  formData: Record<string, unknown>;
  crmUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  oem: { id: string; label: string; color: string; monogram: string };
  /** Newest first. */
  runs: CaseDetailRun[];
  /** Newest first. */
  writeBacks: CaseDetailWriteBack[];
}

export interface GetCaseDetailParams {
  caseId: string;
}

const OPEN_RUN_STATUSES: readonly string[] = ["queued", "running", "retry_scheduled"];

const stepSchema = z.object({
  name: z.string(),
  status: z.enum(["ok", "failed"]),
  startedAt: z.string(),
  durationMs: z.number(),
});

// Stored JSON may be older than the code: parse leniently, drop what does not fit.
const artifactUrl = (key: string) => `/api/artifacts/${key}`;

const failureSchema = z.object({
  reason: z.string(),
  errorClass: z.string(),
  code: z.string(),
  lastGoodStep: z.string().nullable().catch(null),
  failingStep: z.string().nullable().catch(null),
  attempts: z.array(z.looseObject({ number: z.number() })).catch([]),
  screenshotUrl: z.string().nullable().catch(null),
  evidence: z.object({ screenshot: z.string().nullable(), dom: z.string().nullable(), trace: z.string().nullable() }).optional().catch(undefined),
  domSnapshotUrl: z.string().nullable().catch(null),
  traceUrl: z.string().nullable().catch(null),
  portalUrl: z.string().nullable().catch(null),
  fingerprint: z.string().catch(""),
  nextAction: z.string().catch(""),
});

const payloadSchema = z.looseObject({
  status: z.string().optional().catch(undefined),
  confirmationNumber: z.string().nullable().optional().catch(undefined),
});

function parseSteps(raw: unknown): StepRecord[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((step) => {
    const parsed = stepSchema.safeParse(step);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A case with its runs (newest first), their attempts, steps and artifacts, and its CRM write-backs; null when unknown. */
export async function getCaseDetail(db: Database, params: GetCaseDetailParams): Promise<CaseDetail | null> {
  const [row] = await db
    .select({
      id: cases.id,
      crmId: cases.crmId,
      reference: cases.reference,
      kind: cases.kind,
      status: cases.status,
      crmStatus: cases.crmStatus,
      confirmationNumber: cases.confirmationNumber,
      redactionSensitive: cases.redactionSensitive,
      formData: cases.formData,
      crmUpdatedAt: cases.crmUpdatedAt,
      createdAt: cases.createdAt,
      updatedAt: cases.updatedAt,
      oemId: oems.id,
      oemLabel: oems.label,
      oemColor: oems.color,
      oemMonogram: oems.monogram,
    })
    .from(cases)
    .innerJoin(oems, eq(oems.id, cases.oemId))
    .where(eq(cases.id, params.caseId));
  if (!row) return null;

  const [runRows, writeBackRows] = await Promise.all([
    db
      .select({
        id: runs.id,
        status: runs.status,
        batchId: batches.id,
        batchTrigger: batches.trigger,
        batchCreatedAt: batches.createdAt,
        attemptCount: runs.attemptCount,
        maxAttempts: runs.maxAttempts,
        nextAttemptAt: runs.nextAttemptAt,
        confirmationNumber: runs.confirmationNumber,
        errorClass: runs.errorClass,
        errorCode: runs.errorCode,
        failure: runs.failure,
        startedAt: runs.startedAt,
        finishedAt: runs.finishedAt,
        createdAt: runs.createdAt,
      })
      .from(runs)
      .leftJoin(batches, eq(batches.id, runs.batchId))
      .where(eq(runs.caseId, row.id))
      .orderBy(desc(runs.createdAt), desc(runs.id)),
    db
      .select({
        id: outbox.id,
        runId: outbox.runId,
        kind: outbox.kind,
        payload: outbox.payload,
        status: outbox.status,
        deliveryAttempts: outbox.deliveryAttempts,
        lastError: outbox.lastError,
        deliveredAt: outbox.deliveredAt,
        createdAt: outbox.createdAt,
      })
      .from(outbox)
      .where(eq(outbox.caseId, row.id))
      // Same instant: the status update before its note, as they are queued.
      .orderBy(desc(outbox.createdAt), desc(outbox.kind), desc(outbox.id)),
  ]);

  const runIds = runRows.map((run) => run.id);
  const [attemptRows, artifactRows] =
    runIds.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .select({
              id: attempts.id,
              runId: attempts.runId,
              number: attempts.number,
              status: attempts.status,
              workerId: attempts.workerId,
              steps: attempts.steps,
              lastStep: attempts.lastStep,
              errorClass: attempts.errorClass,
              errorCode: attempts.errorCode,
              errorMessage: attempts.errorMessage,
              startedAt: attempts.startedAt,
              finishedAt: attempts.finishedAt,
            })
            .from(attempts)
            .where(inArray(attempts.runId, runIds))
            .orderBy(desc(attempts.number)),
          db
            .select({
              id: artifacts.id,
              attemptId: artifacts.attemptId,
              kind: artifacts.kind,
              key: artifacts.key,
              contentType: artifacts.contentType,
              bytes: artifacts.bytes,
              step: artifacts.step,
              createdAt: artifacts.createdAt,
            })
            .from(artifacts)
            .where(inArray(artifacts.runId, runIds))
            .orderBy(asc(artifacts.createdAt), asc(artifacts.key)),
        ]);

  const artifactsByAttempt = new Map<string, CaseDetailArtifact[]>();
  const artifactsByUrl = new Map<string, CaseDetailArtifact>();
  for (const { attemptId, key, ...rest } of artifactRows) {
    const artifact: CaseDetailArtifact = { ...rest, url: artifactUrl(key) };
    artifactsByAttempt.set(attemptId, [...(artifactsByAttempt.get(attemptId) ?? []), artifact]);
    artifactsByUrl.set(artifact.url, artifact);
  }
  const attemptsByRun = new Map<string, CaseDetailAttempt[]>();
  for (const { runId, steps, ...attempt } of attemptRows) {
    const detail: CaseDetailAttempt = { ...attempt, steps: parseSteps(steps), artifacts: artifactsByAttempt.get(attempt.id) ?? [] };
    attemptsByRun.set(runId, [...(attemptsByRun.get(runId) ?? []), detail]);
  }

  const latestRunStatus = runRows[0]?.status;
  const displayStatus = latestRunStatus && OPEN_RUN_STATUSES.includes(latestRunStatus) ? latestRunStatus : row.status;

  return {
    id: row.id,
    crmId: row.crmId,
    reference: row.reference,
    kind: row.kind,
    status: row.status,
    displayStatus,
    crmStatus: row.crmStatus,
    confirmationNumber: row.confirmationNumber,
    redactionSensitive: row.redactionSensitive,
    formData: redactFormData(row.formData, row.redactionSensitive),
    crmUpdatedAt: row.crmUpdatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    oem: { id: row.oemId, label: row.oemLabel, color: row.oemColor, monogram: row.oemMonogram },
    runs: runRows.map(({ batchId, batchTrigger, batchCreatedAt, failure, ...run }) => {
      const parsed = failure ? failureSchema.safeParse(failure) : null;
      return {
        ...run,
        batch: batchId && batchTrigger && batchCreatedAt ? { id: batchId, trigger: batchTrigger, createdAt: batchCreatedAt } : null,
        failure: parsed?.success ? withEvidenceUrls(parsed.data, artifactsByUrl) : null,
        attempts: attemptsByRun.get(run.id) ?? [],
      };
    }),
    writeBacks: writeBackRows.map(({ payload, ...entry }) => {
      const parsed = payloadSchema.safeParse(payload);
      const data = parsed.success ? parsed.data : {};
      return {
        ...entry,
        crmStatus: entry.kind === "status" ? (data.status ?? null) : null,
        confirmationNumber: entry.kind === "status" ? (data.confirmationNumber ?? null) : null,
      };
    }),
  };
}

function withEvidenceUrls(stored: z.infer<typeof failureSchema>, artifactsByUrl: Map<string, CaseDetailArtifact>): CaseDetailFailure {
  const { evidence, ...rest } = stored;
  const url = (key: string | null | undefined, legacy: string | null) => (key ? artifactUrl(key) : legacy);
  const screenshotUrl = url(evidence?.screenshot, rest.screenshotUrl);
  return {
    ...rest,
    screenshotUrl,
    domSnapshotUrl: url(evidence?.dom, rest.domSnapshotUrl),
    traceUrl: url(evidence?.trace, rest.traceUrl),
    screenshot: screenshotUrl ? (artifactsByUrl.get(screenshotUrl) ?? null) : null,
  };
}
