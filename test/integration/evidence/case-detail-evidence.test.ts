import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArtifactHandler, DOM_VIEW_CSP } from "@/app/api/artifacts/[...key]/artifact-handler";
import { attemptTimeline } from "@/components/evidence/attempt-timeline-model";
import { artifacts, attempts, cases, oems, runs } from "@/drizzle/schema";
import { ARTIFACT_LINK_TTL_SECONDS } from "@/lib/artifacts/artifact-links";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { verifyArtifactLink } from "@/lib/artifacts/signed-urls";
import { artifactKey } from "@/lib/artifacts/store";
import { findRunCaseId, getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { createTestDatabase, type TestDatabase } from "../../support/database";

// The case page's evidence as the query returns it from a real database: per attempt its queue
// wait and run time, its artifacts with signed links, and those links served by the artifact route.

const T0 = new Date("2026-12-02T01:30:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const secret = "integration-artifact-secret-0123456789abcdef";
const store = createArtifactStore({ artifactsDir: mkdtempSync(path.join(os.tmpdir(), "evidence-")), artifactLinks: { secret, publicBaseUrl: null } }, { now: () => T0 });
const signed = (key: string) => store.signedUrl(key, { ttlSeconds: ARTIFACT_LINK_TTL_SECONDS.ui });
const serve = createArtifactHandler(
  () => pino({ level: "silent" }),
  () => ({ store, linkSecret: secret, now: () => at(60) }),
);

let database: TestDatabase;
let caseId: string;
let runId: string;
const keys: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.insert(oems).values({ id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" });
  const [row] = await db
    .insert(cases)
    .values({ crmId: "CRM-EV1", reference: "NS-2026-EV001", oemId: "arden", kind: "warranty_claim", crmStatus: "needs_review", status: "needs_review", formData: {} })
    .returning({ id: cases.id });
  caseId = row!.id;
  const [run] = await db
    .insert(runs)
    .values({ caseId, status: "needs_review", attemptCount: 2, errorClass: "portal_rejected", errorCode: "portal_rejected", createdAt: at(-400), startedAt: at(-300), finishedAt: at(7.4) })
    .returning({ id: runs.id });
  runId = run!.id;
  const steps = (start: number) => [
    { name: "login", status: "ok" as const, startedAt: at(start).toISOString(), durationMs: 1_200 },
    { name: "fill", status: "ok" as const, startedAt: at(start + 1.2).toISOString(), durationMs: 4_000 },
    { name: "submit", status: "failed" as const, startedAt: at(start + 5.2).toISOString(), durationMs: 2_200 },
  ];
  // Attempt 1: written before queued_at existed (null). Attempt 2: waited 2 min 10 s for its retry slot.
  const inserted = await db
    .insert(attempts)
    .values([
      { runId, number: 1, status: "failed", workerId: "w-1", steps: steps(-300), lastStep: "submit", errorClass: "site_flake", errorCode: "navigation_timeout", queuedAt: null, startedAt: at(-300), finishedAt: at(-292.6) },
      { runId, number: 2, status: "failed", workerId: "w-2", steps: steps(0), lastStep: "submit", errorClass: "portal_rejected", errorCode: "portal_rejected", queuedAt: at(-130), startedAt: at(0), finishedAt: at(7.4) },
    ])
    .returning({ id: attempts.id, number: attempts.number });
  const second = inserted.find((a) => a.number === 2)!.id;
  const first = inserted.find((a) => a.number === 1)!.id;
  keys.shot1 = artifactKey({ runId, attempt: 1, name: "failure", ext: "png" });
  keys.shot2 = artifactKey({ runId, attempt: 2, name: "failure", ext: "png" });
  keys.dom2 = artifactKey({ runId, attempt: 2, name: "dom", ext: "html" });
  keys.trace2 = artifactKey({ runId, attempt: 2, name: "trace", ext: "zip" });
  await store.put(keys.dom2, Buffer.from("<html><body><p data-testid=portal-message>Submission rejected</p></body></html>"), "text/html");
  await db.insert(artifacts).values([
    { runId, attemptId: first, kind: "screenshot", key: keys.shot1, contentType: "image/png", bytes: 10, step: "submit", createdAt: at(-292.6) },
    { runId, attemptId: second, kind: "screenshot", key: keys.shot2, contentType: "image/png", bytes: 10, step: "submit", createdAt: at(7.3) },
    { runId, attemptId: second, kind: "dom", key: keys.dom2, contentType: "text/html", bytes: 80, step: "submit", createdAt: at(7.35) },
    { runId, attemptId: second, kind: "trace", key: keys.trace2, contentType: "application/zip", bytes: 4_096, step: "submit", createdAt: at(7.4) },
  ]);
});

afterAll(async () => {
  await database.destroy();
});

describe("getCaseDetail: attempts with their evidence", () => {
  it("returns each attempt's queue wait (queued_at, null on older rows) with its start and end", async () => {
    const detail = (await getCaseDetail(database.db, { caseId, artifactUrl: signed }))!;
    const [latest, earlier] = detail.runs[0]!.attempts;
    expect(latest).toMatchObject({ number: 2, queuedAt: at(-130), startedAt: at(0), finishedAt: at(7.4), errorClass: "portal_rejected", errorCode: "portal_rejected" });
    expect(earlier).toMatchObject({ number: 1, queuedAt: null });
    expect(attemptTimeline(latest!).summary).toBe("Waited 2 min 10 s in the queue · ran 7.4 s");
    expect(attemptTimeline(earlier!).summary).toBe("Ran 7.4 s");
    expect(latest!.steps.map((s) => [s.name, s.status, s.durationMs])).toEqual([
      ["login", "ok", 1_200],
      ["fill", "ok", 4_000],
      ["submit", "failed", 2_200],
    ]);
  });

  it("puts every artifact on its own attempt, in the order taken, each with a link signed for 15 minutes", async () => {
    const detail = (await getCaseDetail(database.db, { caseId, artifactUrl: signed }))!;
    const [latest, earlier] = detail.runs[0]!.attempts;
    expect(latest!.artifacts.map((a) => a.kind)).toEqual(["screenshot", "dom", "trace"]);
    expect(earlier!.artifacts.map((a) => a.kind)).toEqual(["screenshot"]);
    for (const [artifact, key] of [
      [latest!.artifacts[0]!, keys.shot2],
      [latest!.artifacts[1]!, keys.dom2],
      [latest!.artifacts[2]!, keys.trace2],
      [earlier!.artifacts[0]!, keys.shot1],
    ] as const) {
      const url = new URL(artifact.url, "http://127.0.0.1");
      expect(decodeURIComponent(url.pathname)).toBe(`/api/artifacts/${key}`);
      const check = verifyArtifactLink({ key: key!, expires: url.searchParams.get("expires"), sig: url.searchParams.get("sig") }, secret, T0);
      expect(check).toEqual({ ok: true, expiresAt: at(ARTIFACT_LINK_TTL_SECONDS.ui) });
    }
    // Only the DOM snapshot has a view link; the others are opened or downloaded as they are.
    expect(latest!.artifacts.map((a) => a.viewUrl === null)).toEqual([true, false, true]);
    expect(latest!.artifacts[1]!.viewUrl).toBe(`${latest!.artifacts[1]!.url}&view=1`);
  });

  it("serves the DOM snapshot's view link as a sandboxed page through the artifact route", async () => {
    const detail = (await getCaseDetail(database.db, { caseId, artifactUrl: signed }))!;
    const dom = detail.runs[0]!.attempts[0]!.artifacts.find((a) => a.kind === "dom")!;
    const url = new URL(dom.viewUrl!, "http://127.0.0.1:3000");
    const response = await serve(new Request(url), { params: Promise.resolve({ key: decodeURIComponent(url.pathname).replace("/api/artifacts/", "").split("/") }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toBe(DOM_VIEW_CSP);
    expect(await response.text()).toContain("Submission rejected");
  });

  it("finds the case of a run for /runs/<id>, and nothing for an unknown run", async () => {
    expect(await findRunCaseId(database.db, { runId })).toBe(caseId);
    expect(await findRunCaseId(database.db, { runId: "00000000-0000-4000-8000-000000000000" })).toBeNull();
  });
});
