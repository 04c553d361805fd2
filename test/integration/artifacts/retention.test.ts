import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifacts, attempts, cases, oems, runs } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import { toFailureObject } from "@/lib/artifacts/failure-links";
import { pruneArtifacts } from "@/lib/artifacts/retention";
import type { S3ArtifactStore } from "@/lib/artifacts/s3-store";
import { artifactKey, type ArtifactStore } from "@/lib/artifacts/store";
import { getCaseDetail } from "@/lib/cases/queries/get-case-detail";
import { storedFailureSchema, type StoredFailure } from "@/lib/domain/types";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { S3RVER_CREDENTIALS, startS3Server, type S3TestServer } from "../../support/s3-server";

// Retention on both stores, on a real database: old evidence is deleted (redaction-sensitive cases
// sooner), the rows stay marked expired, the run's failure notes it, and a re-run does nothing.

const NOW = new Date("2026-12-02T04:40:00.000Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const retention = { days: 90, sensitiveDays: 30 };
const links = { secret: "retention-artifact-secret-0123456789abcdef", publicBaseUrl: null };
const BUCKET = "nightshift-dev-artifacts";

let database: TestDatabase;
let s3: S3TestServer;
let counter = 0;

beforeAll(async () => {
  [database, s3] = await Promise.all([createTestDatabase(), startS3Server([BUCKET])]);
  await database.db.insert(oems).values({ id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" });
});

afterAll(async () => {
  await database?.destroy();
  await s3?.close();
});

interface Seeded {
  caseId: string;
  runId: string;
  keys: string[];
}

/** A failed run of a case whose three pieces of evidence were written `ageDays` ago (and stored unless `absent`). */
async function seedFailedRun(store: ArtifactStore, params: { ageDays: number; sensitive: boolean; absent?: boolean }): Promise<Seeded> {
  const { db } = database;
  const n = ++counter;
  const [c] = await db
    .insert(cases)
    .values({ crmId: `CRM-RET${n}`, reference: `NS-2026-RET${n}`, oemId: "arden", kind: "warranty_claim", crmStatus: "needs_review", status: "needs_review", formData: {}, redactionSensitive: params.sensitive })
    .returning({ id: cases.id });
  const [run] = await db.insert(runs).values({ caseId: c!.id, status: "needs_review", attemptCount: 1, createdAt: daysAgo(params.ageDays) }).returning({ id: runs.id });
  const runId = run!.id;
  const [attempt] = await db.insert(attempts).values({ runId, number: 1, status: "failed", startedAt: daysAgo(params.ageDays) }).returning({ id: attempts.id });
  const shot = artifactKey({ runId, attempt: 1, name: "failure", ext: "png" });
  const dom = artifactKey({ runId, attempt: 1, name: "dom", ext: "html" });
  const trace = artifactKey({ runId, attempt: 1, name: "trace", ext: "zip" });
  if (!params.absent) {
    await store.put(shot, Buffer.from("png"), "image/png");
    await store.put(dom, Buffer.from("<html></html>"), "text/html");
    await store.put(trace, Buffer.from("zip"), "application/zip");
  }
  const rows = [
    { kind: "screenshot" as const, key: shot, contentType: "image/png" },
    { kind: "dom" as const, key: dom, contentType: "text/plain; charset=utf-8" },
    { kind: "trace" as const, key: trace, contentType: "application/zip" },
  ];
  await db.insert(artifacts).values(rows.map((r) => ({ ...r, runId, attemptId: attempt!.id, bytes: 3, step: "submit", createdAt: daysAgo(params.ageDays) })));
  const failure: StoredFailure = {
    reason: "The portal rejected the submission.",
    errorClass: "portal_rejected",
    code: "portal_rejected",
    lastGoodStep: "fill",
    failingStep: "submit",
    attempts: [],
    evidence: { screenshot: shot, dom, trace },
    portalUrl: null,
    fingerprint: "arden|submit|portal_rejected|x",
    nextAction: "Fix the claim in the CRM.",
  };
  await db.update(runs).set({ failure }).where(eq(runs.id, runId));
  return { caseId: c!.id, runId, keys: [shot, dom, trace] };
}

async function present(store: ArtifactStore, keys: readonly string[]): Promise<boolean[]> {
  return Promise.all(
    keys.map(async (key) => {
      const got = await store.get(key);
      got?.body.destroy();
      return got !== null;
    }),
  );
}

async function expiredAt(keys: readonly string[]): Promise<(Date | null)[]> {
  const rows = await database.db.select({ key: artifacts.key, expiredAt: artifacts.expiredAt }).from(artifacts).where(inArray(artifacts.key, [...keys]));
  return keys.map((k) => rows.find((r) => r.key === k)?.expiredAt ?? null);
}

async function failureOf(runId: string): Promise<StoredFailure> {
  const [row] = await database.db.select({ failure: runs.failure }).from(runs).where(eq(runs.id, runId));
  return storedFailureSchema.parse(row!.failure);
}

describe.each(["local", "s3"] as const)("prune_artifacts on the %s store", (kind) => {
  let store: ArtifactStore;

  beforeAll(async () => {
    // Each store starts from a clean slate: rows of the other store's pass are expired already.
    await database.db.update(artifacts).set({ expiredAt: NOW });
    store =
      kind === "local"
        ? createArtifactStore({ artifactsDir: mkdtempSync(path.join(os.tmpdir(), "retention-")), artifactLinks: links })
        : createArtifactStore({ artifactsDir: "/nonexistent", artifactLinks: links, artifactS3: s3.storeConfig(BUCKET) }, { credentials: S3RVER_CREDENTIALS });
  });

  afterAll(() => {
    if (kind === "s3") (store as S3ArtifactStore).destroy();
  });

  it("deletes evidence past retention (sooner for redaction-sensitive cases), keeps the rows marked expired with a note on the run, and a re-run does nothing", async () => {
    const old = await seedFailedRun(store, { ageDays: 100, sensitive: false });
    const recent = await seedFailedRun(store, { ageDays: 40, sensitive: false });
    const sensitiveOld = await seedFailedRun(store, { ageDays: 40, sensitive: true });
    const sensitiveRecent = await seedFailedRun(store, { ageDays: 10, sensitive: true });

    expect(await pruneArtifacts(database.db, store, { retention, now: NOW })).toEqual({ expired: 6, runs: 2 });

    expect(await present(store, old.keys)).toEqual([false, false, false]);
    expect(await present(store, sensitiveOld.keys)).toEqual([false, false, false]);
    expect(await present(store, recent.keys)).toEqual([true, true, true]);
    expect(await present(store, sensitiveRecent.keys)).toEqual([true, true, true]);

    expect(await expiredAt([...old.keys, ...sensitiveOld.keys])).toEqual(Array(6).fill(NOW));
    expect(await expiredAt([...recent.keys, ...sensitiveRecent.keys])).toEqual(Array(6).fill(null));

    const oldFailure = await failureOf(old.runId);
    expect(oldFailure.evidence).toEqual({ screenshot: null, dom: null, trace: null });
    expect(oldFailure.evidenceExpired).toEqual({ at: NOW.toISOString(), keptDays: 90 });
    expect((await failureOf(sensitiveOld.runId)).evidenceExpired).toEqual({ at: NOW.toISOString(), keptDays: 30 });
    expect((await failureOf(recent.runId)).evidenceExpired).toBeUndefined();
    // What pages and CRM notes get: no links to dead objects, and the note.
    const shown = await toFailureObject(oldFailure, store, { ttlSeconds: 900 });
    expect(shown).toMatchObject({ screenshotUrl: null, domSnapshotUrl: null, traceUrl: null, evidenceExpired: { keptDays: 90 } });

    // The case page: no links to the deleted evidence, the date it expired and how long it was kept.
    const page = await getCaseDetail(database.db, { caseId: old.caseId, artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: 900 }) });
    expect(page?.runs[0]?.failure).toMatchObject({ screenshotUrl: null, domSnapshotUrl: null, traceUrl: null, screenshot: null, evidenceExpired: { at: NOW.toISOString(), keptDays: 90 } });
    expect(page?.runs[0]?.attempts[0]).toMatchObject({ artifacts: [], evidenceExpiredAt: NOW });
    const kept = await getCaseDetail(database.db, { caseId: recent.caseId, artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: 900 }) });
    expect(kept?.runs[0]?.attempts[0]).toMatchObject({ evidenceExpiredAt: null });
    expect(kept?.runs[0]?.attempts[0]?.artifacts).toHaveLength(3);

    expect(await pruneArtifacts(database.db, store, { retention, now: NOW })).toEqual({ expired: 0, runs: 0 });
  });

  it("finishes a killed run: objects already gone are marked, and a partial pass is completed by the next", async () => {
    // A pass killed after deleting these objects, before marking their rows.
    const deletedUnmarked = await seedFailedRun(store, { ageDays: 120, sensitive: false, absent: true });
    const untouched = await seedFailedRun(store, { ageDays: 95, sensitive: false });

    // One round of two rows, then "killed".
    expect(await pruneArtifacts(database.db, store, { retention, now: NOW, batchSize: 2, maxBatches: 1 })).toEqual({ expired: 2, runs: 1 });
    const marked = await expiredAt(deletedUnmarked.keys);
    expect(marked.filter(Boolean)).toEqual([NOW, NOW]);
    // The half-done run still points at its remaining evidence until it is gone too.
    const half = (await failureOf(deletedUnmarked.runId)).evidence;
    expect([half.screenshot, half.dom, half.trace]).toEqual(deletedUnmarked.keys.map((key, i) => (marked[i] ? null : key)));

    expect(await pruneArtifacts(database.db, store, { retention, now: NOW, batchSize: 2 })).toEqual({ expired: 4, runs: 2 });
    expect(await expiredAt([...deletedUnmarked.keys, ...untouched.keys])).toEqual(Array(6).fill(NOW));
    expect(await present(store, untouched.keys)).toEqual([false, false, false]);
    expect((await failureOf(untouched.runId)).evidence).toEqual({ screenshot: null, dom: null, trace: null });
    expect(await pruneArtifacts(database.db, store, { retention, now: NOW })).toEqual({ expired: 0, runs: 0 });
  });
});
