import { asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { artifacts, attempts, batches, cases, oems, outbox, runs } from "@/drizzle/schema";
import { artifactViewUrl } from "@/lib/artifacts/artifact-links";
import type { Database } from "@/lib/db/client";
import { stepRecordSchema, storedFailureSchema, type FailureEvidence, type FailureObject, type StepRecord } from "@/lib/domain/types";
import {
  ERROR_CLASSES,
  OPEN_RUN_STATUSES,
  isOneOf,
  type ArtifactKind,
  type AttemptStatus,
  type BatchTrigger,
  type CaseStatus,
  type ErrorClass,
  type OutboxKind,
  type OutboxStatus,
  type RunStatus,
} from "@/lib/domain/vocabulary";
import type { CaseListStatus } from "../case-list-statuses";
import { redactFormData } from "./redact-form-data";

export interface CaseDetailArtifact {
  id: string;
  kind: ArtifactKind;
  /** Where the browser fetches it (made from the key by `artifactUrl` when read); DOM snapshots and traces download from it. */
  url: string;
  /** DOM snapshots only: the same signed link rendered as a sandboxed page (no scripts, no network); null for other kinds. */
  viewUrl: string | null;
  contentType: string;
  bytes: number;
  step: string | null;
  createdAt: Date;
}

export interface CaseDetailAttempt {
  id: string;
  number: number;
  status: AttemptStatus;
  workerId: string | null;
  steps: StepRecord[];
  lastStep: string | null;
  errorClass: ErrorClass | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** When the attempt could first have started (queued, or its retry came due); null on rows older than the column. Queue wait = startedAt − queuedAt. */
  queuedAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Its evidence in the order it was taken: screenshots, DOM snapshot, trace. */
  artifacts: CaseDetailArtifact[];
  /** When retention deleted this attempt's evidence (its rows stay, without links); null while it is kept. */
  evidenceExpiredAt: Date | null;
}

/** The failure object with links to its evidence, and the screenshot it links to. */
export type CaseDetailFailure = Omit<FailureObject, "attempts"> & {
  /** The attempts the failure summarises (a legacy row may only know their numbers). */
  attempts: Array<{ number: number }>;
  /** The screenshot the failure object links to, with the step and time it was taken. */
  screenshot: CaseDetailArtifact | null;
};

export interface CaseDetailRun {
  id: string;
  status: RunStatus;
  batch: { id: string; trigger: BatchTrigger; createdAt: Date } | null;
  attemptCount: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  confirmationNumber: string | null;
  errorClass: ErrorClass | null;
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
  kind: OutboxKind;
  /** For status write-backs: the status told to the CRM. */
  crmStatus: string | null;
  confirmationNumber: string | null;
  status: OutboxStatus;
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
  status: CaseStatus;
  /** Our status as shown: the latest run's while it is open (queued, running, retry scheduled), else the case's. */
  displayStatus: CaseListStatus;
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
  /** Turns an artifact key into a link the browser can open (the artifact store's signed URL). */
  artifactUrl: (key: string) => string | Promise<string>;
}

/**
 * A failure object written before artifacts were stored by key: links instead of keys, fields
 * that may be missing. Parsed leniently so old runs still show their failure.
 */
const legacyFailureSchema = z.object({
  reason: z.string(),
  errorClass: z.enum(ERROR_CLASSES),
  code: z.string(),
  lastGoodStep: z.string().nullable().catch(null),
  failingStep: z.string().nullable().catch(null),
  attempts: z.array(z.looseObject({ number: z.number() })).catch([]),
  screenshotUrl: z.string().nullable().catch(null),
  domSnapshotUrl: z.string().nullable().catch(null),
  traceUrl: z.string().nullable().catch(null),
  portalUrl: z.string().nullable().catch(null),
  fingerprint: z.string().catch(""),
  nextAction: z.string().catch(""),
});

/** Where links to artifacts pointed before they were signed: `/api/artifacts/<key>`. */
const LEGACY_ARTIFACT_PATH = "/api/artifacts/";

/** An evidence reference of a legacy row: the key behind one of our artifact links, else the link as it was. */
type EvidenceRef = { key: string } | { url: string } | null;

function legacyEvidence(url: string | null): EvidenceRef {
  if (!url) return null;
  if (!url.startsWith(LEGACY_ARTIFACT_PATH)) return { url };
  return { key: decodeURIComponent(url.slice(LEGACY_ARTIFACT_PATH.length).split(/[?#]/)[0] ?? "") };
}

type ParsedFailure = Omit<CaseDetailFailure, "screenshotUrl" | "domSnapshotUrl" | "traceUrl" | "screenshot"> & {
  evidence: Record<keyof FailureEvidence, EvidenceRef>;
};

/** `runs.failure` as stored (keys in `evidence`), or a legacy row with links; null when neither fits. */
function parseFailure(raw: unknown): ParsedFailure | null {
  if (raw === null || raw === undefined) return null;
  const stored = storedFailureSchema.safeParse(raw);
  if (stored.success) {
    const { evidence, ...failure } = stored.data;
    const ref = (key: string | null): EvidenceRef => (key ? { key } : null);
    return { ...failure, evidence: { screenshot: ref(evidence.screenshot), dom: ref(evidence.dom), trace: ref(evidence.trace) } };
  }
  const legacy = legacyFailureSchema.safeParse(raw);
  if (!legacy.success) return null;
  const { screenshotUrl, domSnapshotUrl, traceUrl, ...failure } = legacy.data;
  return { ...failure, evidence: { screenshot: legacyEvidence(screenshotUrl), dom: legacyEvidence(domSnapshotUrl), trace: legacyEvidence(traceUrl) } };
}

const payloadSchema = z.looseObject({
  status: z.string().optional().catch(undefined),
  confirmationNumber: z.string().nullable().optional().catch(undefined),
});

function parseSteps(raw: unknown): StepRecord[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((step) => {
    const parsed = stepRecordSchema.safeParse(step);
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
              queuedAt: attempts.queuedAt,
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
              expiredAt: artifacts.expiredAt,
            })
            .from(artifacts)
            .where(inArray(artifacts.runId, runIds))
            .orderBy(asc(artifacts.createdAt), asc(artifacts.key)),
        ]);

  // Every link is signed up front (signing may be async, e.g. an S3 presign), then looked up.
  const failures = new Map(runRows.map((r) => [r.id, parseFailure(r.failure)] as const));
  // Evidence retention deleted has no object to link to: only its date is shown.
  const expiredByAttempt = new Map<string, Date>();
  for (const { attemptId, expiredAt } of artifactRows) {
    if (expiredAt && !(expiredByAttempt.get(attemptId)! >= expiredAt)) expiredByAttempt.set(attemptId, expiredAt);
  }
  const keptRows = artifactRows.filter((a) => a.expiredAt === null);
  const keys = new Set(keptRows.map((a) => a.key));
  for (const failure of failures.values()) {
    for (const ref of failure ? [failure.evidence.screenshot, failure.evidence.dom, failure.evidence.trace] : []) if (ref && "key" in ref) keys.add(ref.key);
  }
  const signed = new Map(await Promise.all([...keys].map(async (key) => [key, await params.artifactUrl(key)] as const)));
  const artifactUrl = (key: string): string => signed.get(key) ?? "";
  const artifactsByAttempt = new Map<string, CaseDetailArtifact[]>();
  const artifactsByKey = new Map<string, CaseDetailArtifact>();
  for (const { attemptId, key, kind, expiredAt: _expiredAt, ...rest } of keptRows) {
    const url = artifactUrl(key);
    const artifact: CaseDetailArtifact = { ...rest, kind: kind, url, viewUrl: kind === "dom" && url ? artifactViewUrl(url) : null };
    artifactsByAttempt.set(attemptId, [...(artifactsByAttempt.get(attemptId) ?? []), artifact]);
    artifactsByKey.set(key, artifact);
  }
  const attemptsByRun = new Map<string, CaseDetailAttempt[]>();
  for (const { runId, steps, status, errorClass, ...attempt } of attemptRows) {
    const detail: CaseDetailAttempt = {
      ...attempt,
      status: status,
      errorClass: errorClass,
      steps: parseSteps(steps),
      artifacts: artifactsByAttempt.get(attempt.id) ?? [],
      evidenceExpiredAt: expiredByAttempt.get(attempt.id) ?? null,
    };
    attemptsByRun.set(runId, [...(attemptsByRun.get(runId) ?? []), detail]);
  }

  const linkTo = (ref: EvidenceRef): string | null => (ref === null ? null : "key" in ref ? (artifactsByKey.get(ref.key)?.url ?? artifactUrl(ref.key)) : ref.url);
  const toFailure = (runId: string): CaseDetailFailure | null => {
    const parsed = failures.get(runId) ?? null;
    if (!parsed) return null;
    const { evidence, ...failure } = parsed;
    return {
      ...failure,
      screenshotUrl: linkTo(evidence.screenshot),
      domSnapshotUrl: linkTo(evidence.dom),
      traceUrl: linkTo(evidence.trace),
      screenshot: evidence.screenshot && "key" in evidence.screenshot ? (artifactsByKey.get(evidence.screenshot.key) ?? null) : null,
    };
  };

  const caseStatus = row.status;
  const latestRunStatus = runRows[0]?.status;
  const displayStatus: CaseListStatus = isOneOf(OPEN_RUN_STATUSES, latestRunStatus) ? latestRunStatus : caseStatus;

  return {
    id: row.id,
    crmId: row.crmId,
    reference: row.reference,
    kind: row.kind,
    status: caseStatus,
    displayStatus,
    crmStatus: row.crmStatus,
    confirmationNumber: row.confirmationNumber,
    redactionSensitive: row.redactionSensitive,
    formData: redactFormData(row.formData, row.redactionSensitive),
    crmUpdatedAt: row.crmUpdatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    oem: { id: row.oemId, label: row.oemLabel, color: row.oemColor, monogram: row.oemMonogram },
    runs: runRows.map(({ batchId, batchTrigger, batchCreatedAt, failure: _failure, status, errorClass, ...run }) => ({
      ...run,
      status: status,
      errorClass: errorClass,
      batch: batchId && batchTrigger && batchCreatedAt ? { id: batchId, trigger: batchTrigger, createdAt: batchCreatedAt } : null,
      failure: toFailure(run.id),
      attempts: attemptsByRun.get(run.id) ?? [],
    })),
    writeBacks: writeBackRows.map(({ payload, kind, status, ...entry }) => {
      const parsed = payloadSchema.safeParse(payload);
      const data = parsed.success ? parsed.data : {};
      return {
        ...entry,
        kind: kind,
        status: status,
        crmStatus: kind === "status" ? (data.status ?? null) : null,
        confirmationNumber: kind === "status" ? (data.confirmationNumber ?? null) : null,
      };
    }),
  };
}

/** The case a run belongs to (for `/runs/<id>`, which shows the run on its case page); null when unknown. */
export async function findRunCaseId(db: Database, params: { runId: string }): Promise<string | null> {
  const [row] = await db.select({ caseId: runs.caseId }).from(runs).where(eq(runs.id, params.runId));
  return row?.caseId ?? null;
}
