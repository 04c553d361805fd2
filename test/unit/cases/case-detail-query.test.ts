import { describe, expect, it } from "vitest";
import { CASE_BUSY_REFETCH_MS, caseDetailRefetchInterval, parseCaseDetail } from "@/components/cases/case-detail-query";
import type { Jsonified } from "@/components/query/fetch-json";
import type { CaseDetail, CaseDetailRun } from "@/lib/cases/queries/get-case-detail";

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 15, 1, 30 + minutes));
const shot = { id: "art-1", kind: "screenshot" as const, url: "/api/artifacts/runs/r/1/failure.png", viewUrl: null, contentType: "image/png", bytes: 100, step: "submit", createdAt: at(2) };

const run = (patch: Partial<CaseDetailRun> = {}): CaseDetailRun => ({
  id: "run-1",
  status: "failed",
  batch: { id: "b", trigger: "cron", createdAt: at(0) },
  attemptCount: 1,
  maxAttempts: 3,
  nextAttemptAt: null,
  confirmationNumber: null,
  errorClass: "site_changed",
  errorCode: "selector_missing",
  failure: {
    reason: "The form changed.",
    errorClass: "site_changed",
    code: "selector_missing",
    lastGoodStep: "login",
    failingStep: "submit",
    attempts: [{ number: 1 }],
    screenshotUrl: shot.url,
    domSnapshotUrl: null,
    traceUrl: null,
    portalUrl: null,
    fingerprint: "f",
    nextAction: "Fix the selector.",
    screenshot: shot,
  },
  startedAt: at(1),
  finishedAt: at(3),
  createdAt: at(0),
  attempts: [{ id: "a", number: 1, status: "failed", workerId: "w", steps: [], lastStep: "submit", errorClass: "site_changed", errorCode: "selector_missing", errorMessage: null, queuedAt: at(0), startedAt: at(1), finishedAt: at(3), artifacts: [shot], evidenceExpiredAt: null }],
  ...patch,
});

const detail = (patch: Partial<CaseDetail> = {}): CaseDetail => ({
  id: "c",
  crmId: "CRM-1",
  reference: "NS-2026-00001",
  kind: "warranty_claim",
  status: "failed",
  displayStatus: "failed",
  crmStatus: "failed",
  confirmationNumber: null,
  redactionSensitive: false,
  formData: { unit: { id: "X" } },
  crmUpdatedAt: null,
  createdAt: at(-10),
  updatedAt: at(3),
  oem: { id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" },
  runs: [run()],
  writeBacks: [{ id: "o", runId: "run-1", kind: "status", crmStatus: "failed", confirmationNumber: null, status: "delivered", deliveryAttempts: 1, lastError: null, deliveredAt: at(4), createdAt: at(3) }],
  ...patch,
});

describe("parseCaseDetail", () => {
  it("turns the JSON answer back into the case, dates included", () => {
    const original = detail();
    expect(parseCaseDetail(JSON.parse(JSON.stringify(original)) as Jsonified<CaseDetail>)).toEqual(original);
  });
});

describe("caseDetailRefetchInterval", () => {
  it("polls a settled case only to renew its evidence links, 3 min before the 15-min links expire", () => {
    const fetchedAt = at(3).getTime();
    expect(caseDetailRefetchInterval(detail(), fetchedAt, fetchedAt)).toBe(12 * 60_000);
    expect(caseDetailRefetchInterval(detail(), fetchedAt, fetchedAt + 11 * 60_000)).toBe(60_000);
    // Data already older than that (a tab that slept): soon, but not in a tight loop.
    expect(caseDetailRefetchInterval(detail(), fetchedAt, fetchedAt + 60 * 60_000)).toBe(30_000);
    expect(caseDetailRefetchInterval(detail({ runs: [] }))).toBe(false);
  });

  it("polls while the latest run is open or a write-back is pending", () => {
    expect(caseDetailRefetchInterval(detail({ runs: [run({ status: "retry_scheduled", failure: null })] }))).toBe(CASE_BUSY_REFETCH_MS);
    const pending = detail().writeBacks.map((entry) => ({ ...entry, status: "pending" as const, deliveredAt: null }));
    expect(caseDetailRefetchInterval(detail({ writeBacks: pending }))).toBe(CASE_BUSY_REFETCH_MS);
  });
});
