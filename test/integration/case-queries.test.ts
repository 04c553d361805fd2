import { eq } from "drizzle-orm";
import type { StepRecord, StoredFailure } from "@/lib/domain/types";
import type { CaseStatus } from "@/lib/domain/vocabulary";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, attempts, batches, cases, oems, outbox, runs } from "@/drizzle/schema";
import { parseCaseListParams } from "@/lib/cases/queries/case-list-params";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { getCaseList } from "@/lib/cases/queries/get-case-list";
import { listCases } from "@/lib/cases/queries/list-cases";
import { createTestDatabase, type TestDatabase } from "../support/database";

// A fixed reference time: every timestamp below is an offset from it.
const T0 = new Date("2026-01-15T01:30:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let database: TestDatabase;
const artifactUrl = (key: string) => `/api/artifacts/${key}`;
const ids: Record<string, string> = {};

async function insertCase(values: { ref: string; oemId: string; status?: CaseStatus; updatedMinutes: number; formData?: Record<string, unknown>; redactionSensitive?: boolean; confirmationNumber?: string }) {
  const [row] = await database.db
    .insert(cases)
    .values({
      crmId: `CRM-${values.ref}`,
      reference: `NS-2026-${values.ref}`,
      oemId: values.oemId,
      kind: "warranty_claim",
      crmStatus: "new",
      status: values.status ?? "pending",
      formData: values.formData ?? {},
      redactionSensitive: values.redactionSensitive ?? false,
      confirmationNumber: values.confirmationNumber ?? null,
      createdAt: at(-600),
      updatedAt: at(values.updatedMinutes),
    })
    .returning({ id: cases.id });
  return row!.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.insert(oems).values([
    { id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" },
    { id: "borealis", label: "Borealis Machinery", color: "#1d6f42", monogram: "BM" },
  ]);
  const [batch] = await db.insert(batches).values({ trigger: "cron", createdAt: at(-60) }).returning({ id: batches.id });

  // 60 plain Borealis cases for pagination (updated -200 … -141 min, so older than the specials).
  await db.insert(cases).values(
    Array.from({ length: 60 }, (_, i) => ({
      crmId: `CRM-B${String(i).padStart(3, "0")}`,
      reference: `NS-2026-B${String(i).padStart(3, "0")}`,
      oemId: "borealis",
      kind: "emissions_report",
      crmStatus: "new",
      status: "pending" as const,
      updatedAt: at(-200 + i),
    })),
  );

  // Submitted after an earlier failed run: the latest run must be the newer one.
  ids.submitted = await insertCase({ ref: "00014", oemId: "arden", status: "submitted", updatedMinutes: -10, confirmationNumber: "ARD-7K2M9Q", formData: { unit: { id: "1ARHW7KD2NP4X9M31", model: "Arden Solace", year: 2022 }, contact: { name: "Maya Okafor", email: "maya.okafor@example.com", phone: "+1 555 201 7781" } } });
  const [oldRun] = await db
    .insert(runs)
    .values({ caseId: ids.submitted, status: "failed", attemptCount: 3, errorClass: "site_flake", errorCode: "navigation_timeout", createdAt: at(-1500), finishedAt: at(-1480) })
    .returning({ id: runs.id });
  const [newRun] = await db
    .insert(runs)
    .values({ caseId: ids.submitted, batchId: batch!.id, status: "submitted", attemptCount: 2, confirmationNumber: "ARD-7K2M9Q", createdAt: at(-40), startedAt: at(-40), finishedAt: at(-30) })
    .returning({ id: runs.id });
  ids.oldRun = oldRun!.id;
  ids.newRun = newRun!.id;
  const [a1] = await db
    .insert(attempts)
    .values({
      runId: newRun!.id,
      number: 1,
      status: "failed",
      workerId: "w-1",
      errorClass: "site_flake",
      errorCode: "navigation_timeout",
      steps: [{ name: "login", status: "failed", startedAt: at(-40).toISOString(), durationMs: 30_000 }],
      startedAt: at(-40),
      finishedAt: at(-39),
    })
    .returning({ id: attempts.id });
  const [a2] = await db
    .insert(attempts)
    .values({
      runId: newRun!.id,
      number: 2,
      status: "succeeded",
      workerId: "w-2",
      steps: [
        { name: "login", status: "ok", startedAt: at(-32).toISOString(), durationMs: 800 },
        { name: "submit", status: "ok", startedAt: at(-31).toISOString(), durationMs: 1200 },
        // A malformed row written by older code: the reader must skip it.
        { bogus: true } as unknown as StepRecord,
      ],
      startedAt: at(-32),
      finishedAt: at(-30),
    })
    .returning({ id: attempts.id });
  await db.insert(artifacts).values([
    { runId: newRun!.id, attemptId: a1!.id, kind: "screenshot", key: `runs/${newRun!.id}/1/failure.png`, contentType: "image/png", bytes: 100, step: "login", createdAt: at(-39) },
    { runId: newRun!.id, attemptId: a2!.id, kind: "screenshot", key: `runs/${newRun!.id}/2/final.png`, contentType: "image/png", bytes: 100, step: "submit", createdAt: at(-30) },
  ]);
  await db.insert(outbox).values([
    { caseId: ids.submitted, runId: newRun!.id, kind: "status", idempotencyKey: "k-submitted", payload: { status: "submitted", confirmationNumber: "ARD-7K2M9Q", message: null }, status: "delivered", deliveryAttempts: 1, deliveredAt: at(-29), createdAt: at(-30) },
  ]);

  // A terminal fail with a failure object, redaction-sensitive.
  ids.failed = await insertCase({
    ref: "00021",
    oemId: "arden",
    status: "needs_review",
    updatedMinutes: -5,
    redactionSensitive: true,
    formData: { contact: { name: "Omar Haddad", email: "omar.haddad@example.com", phone: "+1 555 201 7781" }, description: "Owner (mobile +1 555 201 7781) reports battery drain.", incidentDate: "2026-01-08" },
  });
  const [failedRun] = await db
    .insert(runs)
    .values({ caseId: ids.failed, status: "needs_review", attemptCount: 1, errorClass: "portal_rejected", errorCode: "invalid_field", createdAt: at(-20), finishedAt: at(-18) })
    .returning({ id: runs.id });
  const [fa] = await db
    .insert(attempts)
    .values({ runId: failedRun!.id, number: 1, status: "failed", errorClass: "portal_rejected", errorCode: "invalid_field", startedAt: at(-20), finishedAt: at(-18) })
    .returning({ id: attempts.id });
  const shotKey = `runs/${failedRun!.id}/1/failure.png`;
  await db.insert(artifacts).values({ runId: failedRun!.id, attemptId: fa!.id, kind: "screenshot", key: shotKey, contentType: "image/png", bytes: 100, step: "submit", createdAt: at(-18) });
  await db
    .update(runs)
    .set({
      failure: {
        reason: "The Arden Motors portal rejected the submission (at step \"submit\"): “VIN invalid”",
        errorClass: "portal_rejected",
        code: "invalid_field",
        lastGoodStep: "fill_form",
        failingStep: "submit",
        attempts: [{ number: 1, status: "failed", errorClass: "portal_rejected", code: "invalid_field", startedAt: at(-20).toISOString(), finishedAt: at(-18).toISOString() }],
        evidence: { screenshot: shotKey, dom: null, trace: null },
        portalUrl: null,
        fingerprint: "5e0bcf42cfbfc649",
        nextAction: "Check the case data in the CRM.",
      },
    })
    .where(eq(runs.id, failedRun!.id));
  await db.insert(outbox).values([
    { caseId: ids.failed, runId: failedRun!.id, kind: "status", idempotencyKey: "k-review", payload: { status: "needs_review", confirmationNumber: null, message: "…" }, status: "pending", deliveryAttempts: 2, lastError: "CRM answered 503", createdAt: at(-18) },
  ]);

  // Case status "running" but the latest run is waiting for a retry: shown as retry scheduled.
  ids.retry = await insertCase({ ref: "00051", oemId: "arden", status: "running", updatedMinutes: -2 });
  await db.insert(runs).values({ caseId: ids.retry, status: "retry_scheduled", attemptCount: 1, errorClass: "site_flake", errorCode: "navigation_timeout", nextAttemptAt: at(5), createdAt: at(-3) });

  // A reference with LIKE wildcards in it.
  ids.wild = await insertCase({ ref: "50%_X", oemId: "arden", updatedMinutes: -100 });
});

afterAll(async () => {
  await database?.destroy();
});

describe("listCases", () => {
  it("lists cases newest activity first with their OEM and latest run, 50 per page with the total", async () => {
    const first = await listCases(database.db, { page: 1, pageSize: 50 });
    expect(first.total).toBe(64);
    expect(first.rows).toHaveLength(50);
    expect(first.rows.slice(0, 3).map((row) => row.reference)).toEqual(["NS-2026-00051", "NS-2026-00021", "NS-2026-00014"]);
    expect(first.rows[0]!.oem).toEqual({ id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" });

    const second = await listCases(database.db, { page: 2, pageSize: 50 });
    expect(second.total).toBe(64);
    expect(second.rows).toHaveLength(14);
    const seen = new Set([...first.rows, ...second.rows].map((row) => row.id));
    expect(seen.size).toBe(64);
  });

  it("picks the newest run as the latest run, and shows an open run's status over the case's", async () => {
    const { rows } = await listCases(database.db, { q: "NS-2026-000" });
    const submitted = rows.find((row) => row.id === ids.submitted)!;
    expect(submitted.latestRun).toMatchObject({ id: ids.newRun, status: "submitted", attemptCount: 2 });
    expect(submitted.status).toBe("submitted");
    expect(submitted.confirmationNumber).toBe("ARD-7K2M9Q");

    const retry = rows.find((row) => row.id === ids.retry)!;
    expect(retry.status).toBe("retry_scheduled");
    expect(retry.latestRun).toMatchObject({ errorClass: "site_flake", errorCode: "navigation_timeout" });

    const failed = rows.find((row) => row.id === ids.failed)!;
    expect(failed.status).toBe("needs_review");
    expect(failed.latestRun).toMatchObject({ errorClass: "portal_rejected", errorCode: "invalid_field" });
  });

  it("leaves the latest run empty for a case never run", async () => {
    const { rows } = await listCases(database.db, { q: "B000" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.latestRun).toBeNull();
    expect(rows[0]!.status).toBe("pending");
  });

  it("filters by a case-insensitive substring of the reference or the CRM id", async () => {
    expect((await listCases(database.db, { q: "ns-2026-00014" })).rows.map((row) => row.id)).toEqual([ids.submitted]);
    expect((await listCases(database.db, { q: "crm-00021" })).rows.map((row) => row.id)).toEqual([ids.failed]);
    expect((await listCases(database.db, { q: "nothing-like-this" })).total).toBe(0);
  });

  it("treats LIKE wildcards in the search literally", async () => {
    const { rows, total } = await listCases(database.db, { q: "50%_" });
    expect(total).toBe(1);
    expect(rows[0]!.id).toBe(ids.wild);
    expect((await listCases(database.db, { q: "%" })).total).toBe(1);
  });

  it("filters by OEM and by the shown status, and counts the filtered total", async () => {
    const borealis = await listCases(database.db, { oem: "borealis", pageSize: 10 });
    expect(borealis.total).toBe(60);
    expect(borealis.rows.every((row) => row.oem.id === "borealis")).toBe(true);

    const retrying = await listCases(database.db, { status: "retry_scheduled" });
    expect(retrying.rows.map((row) => row.id)).toEqual([ids.retry]);
    expect(retrying.total).toBe(1);
    expect((await listCases(database.db, { status: "running" })).total).toBe(0);

    const ardenPending = await listCases(database.db, { oem: "arden", status: "pending" });
    expect(ardenPending.rows.map((row) => row.id)).toEqual([ids.wild]);
  });
});

describe("getCaseList", () => {
  it("ignores invalid or unknown filters instead of failing", async () => {
    const params = parseCaseListParams({ q: ["NS-2026-00014", "other"], oem: "../etc", status: "exploded", page: "-3" });
    expect(params).toEqual({ q: "NS-2026-00014", oem: undefined, status: undefined, page: undefined });
    const unknownOem = await getCaseList(database.db, parseCaseListParams({ oem: "zephyr" }));
    expect(unknownOem.filters.oem).toBeNull();
    expect(unknownOem.total).toBe(64);
    expect(unknownOem.totalCases).toBe(64);
    expect(unknownOem.oems.map((oem) => oem.id)).toEqual(["arden", "borealis"]);
  });

  it("shows the last page for a page number past the end", async () => {
    const list = await getCaseList(database.db, parseCaseListParams({ page: "99" }));
    expect(list.page).toBe(2);
    expect(list.pageCount).toBe(2);
    expect(list.rows).toHaveLength(14);
  });
});

describe("getCaseDetail", () => {
  it("returns null for an unknown case", async () => {
    expect(await getCaseDetail(database.db, { caseId: "00000000-0000-4000-8000-000000000000", artifactUrl })).toBeNull();
  });

  it("returns runs newest first with attempts newest first, parsed steps, artifact URLs and write-backs", async () => {
    const detail = (await getCaseDetail(database.db, { caseId: ids.submitted!, artifactUrl }))!;
    expect(detail).toMatchObject({ reference: "NS-2026-00014", status: "submitted", displayStatus: "submitted", confirmationNumber: "ARD-7K2M9Q", redactionSensitive: false });
    expect(detail.oem.label).toBe("Arden Motors");
    expect(detail.formData.contact).toEqual({ name: "Maya Okafor", email: "maya.okafor@example.com", phone: "+1 555 201 7781" });
    expect(detail.runs.map((run) => run.id)).toEqual([ids.newRun, ids.oldRun]);

    const [latest] = detail.runs;
    expect(latest!.batch?.trigger).toBe("cron");
    expect(latest!.failure).toBeNull();
    expect(latest!.attempts.map((a) => [a.number, a.status, a.workerId])).toEqual([
      [2, "succeeded", "w-2"],
      [1, "failed", "w-1"],
    ]);
    // The malformed step is dropped, the valid ones kept in order.
    expect(latest!.attempts[0]!.steps.map((step) => step.name)).toEqual(["login", "submit"]);
    expect(latest!.attempts[0]!.artifacts).toEqual([
      expect.objectContaining({ kind: "screenshot", url: `/api/artifacts/runs/${ids.newRun}/2/final.png`, step: "submit" }),
    ]);
    expect(detail.runs[1]!.attempts).toEqual([]);

    expect(detail.writeBacks).toEqual([
      expect.objectContaining({ kind: "status", crmStatus: "submitted", confirmationNumber: "ARD-7K2M9Q", status: "delivered", deliveryAttempts: 1 }),
    ]);
    expect(detail.writeBacks[0]).not.toHaveProperty("payload");
  });

  it("attaches the failure object with its screenshot, and masks contact details of a redaction-sensitive case", async () => {
    const detail = (await getCaseDetail(database.db, { caseId: ids.failed!, artifactUrl }))!;
    const failure = detail.runs[0]!.failure!;
    expect(failure).toMatchObject({ errorClass: "portal_rejected", code: "invalid_field", failingStep: "submit", lastGoodStep: "fill_form", fingerprint: "5e0bcf42cfbfc649" });
    expect(failure.screenshot).toMatchObject({ step: "submit", url: failure.screenshotUrl });
    expect(failure.screenshot!.createdAt.toISOString()).toBe(at(-18).toISOString());

    expect(detail.redactionSensitive).toBe(true);
    expect(detail.formData.contact).toEqual({ name: "O. H.", email: "•••@example.com", phone: "••• 81" });
    expect(detail.formData.description).toBe("Owner (mobile •••) reports battery drain.");
    expect(detail.formData.incidentDate).toBe("2026-01-08");
    expect(JSON.stringify(detail.formData)).not.toContain("201 7781");
    expect(detail.writeBacks[0]).toMatchObject({ status: "pending", deliveryAttempts: 2, lastError: "CRM answered 503", crmStatus: "needs_review" });
  });

  it("shows an open latest run's status as the case's", async () => {
    const detail = (await getCaseDetail(database.db, { caseId: ids.retry!, artifactUrl }))!;
    expect(detail.status).toBe("running");
    expect(detail.displayStatus).toBe("retry_scheduled");
  });
});

describe("getCaseDetail with failures stored by artifact key", () => {
  // Runs last: the case it adds would change the list totals above.
  const signed = (key: string) => `https://artifacts.example/${key}?sig=abc`;

  it("links the evidence keys through the injected artifactUrl and finds the screenshot by key", async () => {
    const { db } = database;
    const caseId = await insertCase({ ref: "00077", oemId: "borealis", status: "parked", updatedMinutes: -1 });
    const [run] = await db.insert(runs).values({ caseId, status: "parked", attemptCount: 1, errorClass: "adapter_bug", errorCode: "adapter_exception", createdAt: at(-3), finishedAt: at(-2) }).returning({ id: runs.id });
    const [attempt] = await db
      .insert(attempts)
      .values({ runId: run!.id, number: 1, status: "failed", errorClass: "adapter_bug", errorCode: "adapter_exception", startedAt: at(-3), finishedAt: at(-2) })
      .returning({ id: attempts.id });
    const keys = { screenshot: `runs/${run!.id}/1/failure.png`, dom: `runs/${run!.id}/1/failure.html`, trace: null };
    await db.insert(artifacts).values([
      { runId: run!.id, attemptId: attempt!.id, kind: "screenshot", key: keys.screenshot, contentType: "image/png", bytes: 100, step: "fill_form", createdAt: at(-2) },
      { runId: run!.id, attemptId: attempt!.id, kind: "dom", key: keys.dom, contentType: "text/html", bytes: 2048, step: "fill_form", createdAt: at(-2) },
    ]);
    await db
      .update(runs)
      .set({
        failure: {
          reason: "Our Borealis Machinery adapter failed at step \"fill form\"; engineering has been told.",
          errorClass: "adapter_bug",
          code: "adapter_exception",
          lastGoodStep: "login",
          failingStep: "fill_form",
          attempts: [{ number: 1, status: "failed", errorClass: "adapter_bug", code: "adapter_exception", startedAt: at(-3).toISOString(), finishedAt: at(-2).toISOString() }],
          evidence: keys,
          portalUrl: "http://127.0.0.1:4110/borealis/claims/new",
          fingerprint: "0c1d2e3f4a5b6c7d",
          nextAction: "Engineering fixes the adapter; then retry.",
        },
      })
      .where(eq(runs.id, run!.id));

    const detail = (await getCaseDetail(db, { caseId, artifactUrl: signed }))!;
    const failure = detail.runs[0]!.failure!;
    expect(failure).toMatchObject({ errorClass: "adapter_bug", failingStep: "fill_form", screenshotUrl: signed(keys.screenshot), domSnapshotUrl: signed(keys.dom), traceUrl: null });
    expect(failure).not.toHaveProperty("evidence");
    expect(failure.attempts).toHaveLength(1);
    expect(failure.screenshot).toMatchObject({ kind: "screenshot", step: "fill_form", url: signed(keys.screenshot) });
    expect(detail.runs[0]!.attempts[0]!.artifacts.map((artifact) => artifact.url)).toEqual([signed(keys.dom), signed(keys.screenshot)]);
  });

  it("re-links a legacy failure's /api/artifacts/ links by key, keeps foreign links, and drops an unreadable one", async () => {
    const { db } = database;
    const legacy = (await getCaseDetail(db, { caseId: ids.failed!, artifactUrl: signed }))!.runs[0]!.failure!;
    expect(legacy.screenshotUrl).toMatch(/^https:\/\/artifacts\.example\/runs\/[0-9a-f-]{36}\/1\/failure\.png\?sig=abc$/);
    expect(legacy.screenshot).toMatchObject({ step: "submit", url: legacy.screenshotUrl });

    const caseId = await insertCase({ ref: "00078", oemId: "arden", status: "failed", updatedMinutes: -1 });
    const base = { reason: "The portal kept timing out.", errorClass: "site_flake", code: "navigation_timeout" };
    await db.insert(runs).values([
      // Rows written by older code (links instead of keys) and a broken one: read leniently.
      { caseId, status: "failed", createdAt: at(-9), failure: { ...base, screenshotUrl: null, traceUrl: "https://elsewhere.example/trace.zip" } as unknown as StoredFailure },
      { caseId, status: "failed", createdAt: at(-8), failure: { reason: "no class" } as unknown as StoredFailure },
    ]);
    const detail = (await getCaseDetail(db, { caseId, artifactUrl: signed }))!;
    expect(detail.runs[0]!.failure).toBeNull();
    expect(detail.runs[1]!.failure).toMatchObject({ ...base, screenshotUrl: null, domSnapshotUrl: null, traceUrl: "https://elsewhere.example/trace.zip", screenshot: null, attempts: [], fingerprint: "" });
  });
});
