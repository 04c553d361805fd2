import { randomUUID } from "node:crypto";
import { attempts, cases, runs } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { EMPTY_HEALING_REPORT, type HealChange, type HealSnapshot, type HealTargetChange } from "@/lib/healing/records";
import { proposeHeal } from "@/lib/healing/store";
import type { ElementFingerprint } from "@/lib/healing/types";
import type { JobQueue } from "@/lib/queue/job-queue";
import { holdRunForApproval } from "@/lib/runs/hold-for-approval";

let serial = 0;

export function fingerprint(overrides: Partial<ElementFingerprint> = {}): ElementFingerprint {
  return {
    role: "button",
    name: "Submit claim",
    label: null,
    tag: "button",
    id: "submit-claim",
    nameAttribute: null,
    testId: "submit",
    type: "submit",
    placeholder: null,
    ancestors: ["form:warranty claim"],
    nearbyText: "Warranty claim",
    siblingIndex: 0,
    siblingCount: 1,
    ...overrides,
  };
}

/** A target found another way: the final submit renamed "Submit claim" → "Send claim" (the default). */
export function targetChange(overrides: Partial<HealTargetChange> = {}): HealTargetChange {
  return {
    kind: "target",
    targetId: "arden.claim.submit",
    intent: "the submit button of the warranty claim form",
    step: "submit",
    reversible: false,
    missKind: "not_found",
    missDetail: "css #submit-claim → 0 visible",
    pageFingerprint: "page-a",
    recipe: { strategy: "role", role: "button", name: "Send claim", nth: null },
    before: fingerprint(),
    after: fingerprint({ name: "Send claim", id: "send", testId: "send-claim" }),
    proposedBy: "rule",
    score: 0.71,
    margin: 0.32,
    reasons: [{ feature: "name", weight: 0.25, similarity: 0.5, contribution: 0.125, stored: "Submit claim", observed: "Send claim" }],
    validation: [
      { check: "one visible element", ok: true },
      { check: "role fits", ok: true },
    ],
    ...overrides,
  };
}

export const SNAPSHOTS: HealSnapshot[] = [
  {
    step: "submit",
    before: '- form "Warranty claim":\n  - textbox "VIN"\n  - button "Submit claim"',
    after: '- form "Warranty claim":\n  - textbox "VIN"\n  - button "Send claim"',
  },
];

/** A case with a run that is running its first attempt (what the worker has before it holds the run). */
export async function runningRun(db: Db, params: { oemId: string; batchId?: string | null; maxAttempts?: number }) {
  serial += 1;
  const [caseRow] = await db
    .insert(cases)
    .values({ crmId: `CRM-H-${serial}-${randomUUID()}`, reference: `NS-2026-H${String(serial).padStart(4, "0")}`, oemId: params.oemId, kind: "warranty_claim", crmStatus: "new", status: "running" })
    .returning({ id: cases.id, reference: cases.reference });
  const [run] = await db
    .insert(runs)
    .values({ caseId: caseRow!.id, status: "running", batchId: params.batchId ?? null, attemptCount: 1, maxAttempts: params.maxAttempts ?? 1, startedAt: new Date() })
    .returning({ id: runs.id });
  const [attempt] = await db.insert(attempts).values({ runId: run!.id, number: 1, portalUrl: "http://portal.test/arden" }).returning({ id: attempts.id });
  return { caseId: caseRow!.id, reference: caseRow!.reference, runId: run!.id, attemptId: attempt!.id };
}

/**
 * What the worker does when a heal touches the final submit: files the proposal (or joins the
 * identical one) and holds the run before submitting. Returns the heal's id and the held run.
 */
export async function heldRunWithProposal(
  db: Db,
  queue: JobQueue,
  params: { oemId: string; changes?: HealChange[]; batchId?: string | null; maxAttempts?: number; screenshotKey?: string | null; adapterVersion?: string },
) {
  const run = await runningRun(db, params);
  const healId = await proposeHeal(db, {
    oemId: params.oemId,
    adapterVersion: params.adapterVersion ?? "1",
    runId: run.runId,
    attemptId: run.attemptId,
    changes: params.changes ?? [targetChange()],
    snapshots: SNAPSHOTS,
    proposedBy: "rule",
    costUsd: null,
    screenshotKey: params.screenshotKey ?? null,
    use: "awaiting_approval",
  });
  await holdRunForApproval(db, { queue }, { runId: run.runId, attemptId: run.attemptId, healId, steps: [], artifacts: [], healing: { ...EMPTY_HEALING_REPORT, healed: 1, heldForApproval: true, healId } });
  return { ...run, healId };
}

/** An approved proposal with no runs (e.g. an earlier version of the same target). */
export async function proposal(db: Db, params: { oemId: string; changes: HealChange[]; adapterVersion?: string }) {
  return proposeHeal(db, {
    oemId: params.oemId,
    adapterVersion: params.adapterVersion ?? "1",
    runId: null,
    attemptId: null,
    changes: params.changes,
    snapshots: SNAPSHOTS,
    proposedBy: "rule",
    costUsd: null,
    screenshotKey: null,
    use: "provisional",
  });
}
