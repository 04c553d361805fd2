import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, batches, cases, healRuns, heals, resolvedActions, runs } from "@/drizzle/schema";
import { createArtifactStore } from "@/lib/artifacts/create-artifact-store";
import type { ArtifactStore } from "@/lib/artifacts/store";
import { approveHeal, rejectHeal, revertHeal } from "@/lib/heals/decide-heal";
import { listHeals } from "@/lib/heals/list-heals";
import type { HealOverlayChange } from "@/lib/healing/records";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun } from "@/lib/queue/tasks";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { heldRunWithProposal, proposal, targetChange } from "../../support/heal-fixtures";
import { approveProposedHeals } from "../../support/heals";
import { changedTables, snapshotState } from "../../support/state-snapshot";

let database: TestDatabase;
let dataDir: string;
let store: ArtifactStore;

const OVERLAY: HealOverlayChange = {
  kind: "overlay",
  step: "open_claim_form",
  overlayKey: "dialog|Important notice|Please read this before you continue.",
  overlay: { role: "dialog", name: "Important notice", text: "Please read this before you continue." },
  action: { type: "click", buttonName: "I understand" },
  refused: ["Delete my data"],
  navigated: false,
};

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-heals-"));
  store = createArtifactStore({ artifactsDir: dataDir, artifactS3: null, artifactLinks: { secret: "s".repeat(40), publicBaseUrl: null } });
});

afterAll(async () => {
  await database?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await database.db.execute(sql`truncate heal_runs, resolved_actions, heals, healing_baselines, audit_log, alerts, artifacts, attempts, outbox, runs, cases, batches cascade`);
});

const cache = () =>
  database.db
    .select({ targetId: resolvedActions.targetId, pageFingerprint: resolvedActions.pageFingerprint, recipe: resolvedActions.recipe, healId: resolvedActions.healId })
    .from(resolvedActions)
    .orderBy(resolvedActions.targetId);
const runOf = async (runId: string) => (await database.db.select().from(runs).where(eq(runs.id, runId)))[0]!;
const caseStatusOf = async (caseId: string) => (await database.db.select({ status: cases.status }).from(cases).where(eq(cases.id, caseId)))[0]?.status;
const healOf = async (healId: string) => (await database.db.select().from(heals).where(eq(heals.id, healId)))[0]!;
const jobsFor = (runId: string) => listJobs(database.db, { keys: [jobKeyForRun(runId)] });

describe("approving a heal", () => {
  it("writes the replay cache for its targets and overlays, versions it, audits it and re-queues the held run exactly once", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden", changes: [targetChange(), OVERLAY] });
    expect(await runOf(held.runId)).toMatchObject({ status: "awaiting_approval", maxAttempts: 1, attemptCount: 1 });
    expect(await jobsFor(held.runId)).toHaveLength(0);

    const result = await approveHeal(database.db, database.queue, { healId: held.healId, actor: "otto@nightshift.test", note: "Send claim is the new submit" });
    expect(result).toEqual({ healId: held.healId, version: 1, requeuedRunIds: [held.runId], cancelledRunIds: [] });

    expect(await cache()).toEqual([
      { targetId: "arden.claim.submit", pageFingerprint: "page-a", recipe: { strategy: "role", role: "button", name: "Send claim", nth: null }, healId: held.healId },
      { targetId: `overlay:${OVERLAY.overlayKey}`, pageFingerprint: "*", recipe: { strategy: "dismiss", action: { type: "click", buttonName: "I understand" } }, healId: held.healId },
    ]);
    expect(await healOf(held.healId)).toMatchObject({ status: "approved", version: 1, decidedBy: "otto@nightshift.test", decisionNote: "Send claim is the new submit" });
    // One more attempt allowed, due now, the case running again, one job.
    const run = await runOf(held.runId);
    expect(run).toMatchObject({ status: "retry_scheduled", maxAttempts: 2, attemptCount: 1, errorCode: null });
    expect(run.nextAttemptAt).not.toBeNull();
    expect(await caseStatusOf(held.caseId)).toBe("running");
    const jobs = await jobsFor(held.runId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ task: "submit_case" });

    const audit = await database.db.select().from(auditLog);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "otto@nightshift.test", action: "heal.approve", oemId: "arden", details: { healId: held.healId, version: 1, requeuedRunIds: [held.runId] } });

    // A second approval is refused and changes nothing: still one job, one audit row.
    const before = await snapshotState(database.sql);
    await expect(approveHeal(database.db, database.queue, { healId: held.healId, actor: "ada@nightshift.test" })).rejects.toMatchObject({
      code: "conflict",
      message: "This heal was already approved by otto@nightshift.test: nothing was changed.",
    });
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });

  it("re-queues every run that joined the same proposal, and numbers the portal's versions", async () => {
    const first = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    const second = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    expect(second.healId).toBe(first.healId);
    // The same target put elsewhere contradicts the open proposal: a proposal of its own.
    const other = await heldRunWithProposal(database.db, database.queue, { oemId: "arden", changes: [targetChange({ recipe: { strategy: "css", selector: "#send-claim-2" } })] });
    expect(other.healId).not.toBe(first.healId);

    const approved = await approveHeal(database.db, database.queue, { healId: first.healId, actor: "otto@nightshift.test" });
    expect(approved.requeuedRunIds.sort()).toEqual([first.runId, second.runId].sort());
    expect((await approveHeal(database.db, database.queue, { healId: other.healId, actor: "otto@nightshift.test" })).version).toBe(2);
    for (const runId of [first.runId, second.runId, other.runId]) expect(await jobsFor(runId)).toHaveLength(1);
  });

  it("merges a run that saw another part of the same redesign into the open proposal, so one approval releases both", async () => {
    const first = await heldRunWithProposal(database.db, database.queue, { oemId: "borealis" });
    const signedIn = await heldRunWithProposal(database.db, database.queue, { oemId: "borealis", changes: [targetChange(), targetChange({ targetId: "borealis.sign_in.username", pageFingerprint: "page-login", recipe: { strategy: "role", role: "textbox", name: "User ID", nth: null } })] });
    expect(signedIn.healId).toBe(first.healId);
    const [merged] = await database.db.select().from(heals).where(eq(heals.id, first.healId));
    expect(merged?.changes.map((c) => (c.kind === "target" ? c.targetId : c.overlayKey)).sort()).toEqual(["arden.claim.submit", "borealis.sign_in.username"]);
    const approved = await approveHeal(database.db, database.queue, { healId: first.healId, actor: "otto@nightshift.test" });
    expect(approved.requeuedRunIds.sort()).toEqual([first.runId, signedIn.runId].sort());
  });

  it("lets exactly one of two people approving at once win; the other gets a 409", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "corvid" });
    const outcomes = await Promise.allSettled([
      approveHeal(database.db, database.queue, { healId: held.healId, actor: "otto@nightshift.test" }),
      approveHeal(database.db, database.queue, { healId: held.healId, actor: "olga@nightshift.test" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: "conflict" });
    expect(await jobsFor(held.runId)).toHaveLength(1);
    expect(await runOf(held.runId)).toMatchObject({ status: "retry_scheduled", maxAttempts: 2 });
    expect(await database.db.select().from(auditLog)).toHaveLength(1);
  });

  it("cancels a held run whose batch was cancelled instead of queueing it", async () => {
    const [batch] = await database.db.insert(batches).values({ trigger: "manual", status: "cancelled" }).returning({ id: batches.id });
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden", batchId: batch!.id });
    const result = await approveHeal(database.db, database.queue, { healId: held.healId, actor: "otto@nightshift.test" });
    expect(result).toMatchObject({ requeuedRunIds: [], cancelledRunIds: [held.runId] });
    expect(await runOf(held.runId)).toMatchObject({ status: "cancelled", errorCode: "batch_cancelled" });
    expect(await caseStatusOf(held.caseId)).toBe("pending");
    expect(await jobsFor(held.runId)).toHaveLength(0);
  });

  it("is what the test shortcut does", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    expect(await approveProposedHeals(database.db, "arden", database.queue)).toEqual([held.healId]);
    expect(await runOf(held.runId)).toMatchObject({ status: "retry_scheduled" });
    expect(await cache()).toHaveLength(1);
  });
});

describe("rejecting a heal", () => {
  it("parks the held runs for engineering with the change on their failure, and caches nothing", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    const result = await rejectHeal(database.db, { queue: database.queue, store }, { healId: held.healId, actor: "otto@nightshift.test", note: "Send claim opens a different form" });
    expect(result).toEqual({ healId: held.healId, parkedRunIds: [held.runId] });
    const run = await runOf(held.runId);
    expect(run).toMatchObject({ status: "parked", errorClass: "site_changed", errorCode: "heal_rejected" });
    expect(run.failure?.siteChange).toMatchObject({
      targetId: "arden.claim.submit",
      missKind: "not_found",
      detail: expect.stringContaining("Send claim opens a different form") as unknown,
      ariaBefore: expect.stringContaining('button "Submit claim"') as unknown,
      ariaAfter: expect.stringContaining('button "Send claim"') as unknown,
    });
    expect(await caseStatusOf(held.caseId)).toBe("parked");
    expect((await database.db.select({ use: healRuns.use }).from(healRuns).where(eq(healRuns.runId, held.runId)))[0]?.use).toBe("parked");
    expect(await healOf(held.healId)).toMatchObject({ status: "rejected", decidedBy: "otto@nightshift.test", decisionNote: "Send claim opens a different form" });
    expect(await cache()).toEqual([]);
    expect(await jobsFor(held.runId)).toHaveLength(0);
    expect((await database.db.select({ action: auditLog.action }).from(auditLog)).map((a) => a.action)).toEqual(["heal.reject"]);
  });

  it("needs a note, and refuses an empty one without changing anything", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    const before = await snapshotState(database.sql);
    await expect(rejectHeal(database.db, { queue: database.queue, store }, { healId: held.healId, actor: "otto@nightshift.test", note: "  " })).rejects.toMatchObject({ code: "bad_request" });
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });
});

describe("reverting a heal", () => {
  it("removes its resolutions and restores the earlier approved version of the same target", async () => {
    const older = await proposal(database.db, { oemId: "arden", changes: [targetChange({ recipe: { strategy: "css", selector: "#send" } })] });
    await approveHeal(database.db, database.queue, { healId: older, actor: "otto@nightshift.test" });
    const newer = await proposal(database.db, { oemId: "arden", changes: [targetChange(), OVERLAY] });
    await approveHeal(database.db, database.queue, { healId: newer, actor: "otto@nightshift.test" });
    expect((await cache()).map((r) => r.healId)).toEqual([newer, newer]);

    const result = await revertHeal(database.db, { healId: newer, actor: "ada@nightshift.test", note: "the role recipe hits a hidden copy" });
    expect(result).toEqual({ healId: newer, removed: 2, restored: [{ targetId: "arden.claim.submit", healId: older, version: 1 }] });
    expect(await cache()).toEqual([{ targetId: "arden.claim.submit", pageFingerprint: "page-a", recipe: { strategy: "css", selector: "#send" }, healId: older }]);
    expect(await healOf(newer)).toMatchObject({ status: "reverted", version: 2, revertedBy: "ada@nightshift.test" });

    // Reverting the older one too empties the cache: replay is back to the primary locators.
    await revertHeal(database.db, { healId: older, actor: "ada@nightshift.test" });
    expect(await cache()).toEqual([]);
    expect((await database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.action, "heal.revert"))).length).toBe(2);
  });

  it("leaves a newer heal's resolution alone when an older one is reverted", async () => {
    const older = await proposal(database.db, { oemId: "arden", changes: [targetChange({ recipe: { strategy: "css", selector: "#send" } })] });
    await approveHeal(database.db, database.queue, { healId: older, actor: "otto@nightshift.test" });
    const newer = await proposal(database.db, { oemId: "arden", changes: [targetChange()] });
    await approveHeal(database.db, database.queue, { healId: newer, actor: "otto@nightshift.test" });
    expect(await revertHeal(database.db, { healId: older, actor: "ada@nightshift.test" })).toMatchObject({ removed: 0, restored: [] });
    expect((await cache()).map((r) => r.healId)).toEqual([newer]);
  });
});

describe("refused transitions", () => {
  it("answers 409 with a sentence and changes nothing", async () => {
    const rejected = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    await rejectHeal(database.db, { queue: database.queue, store }, { healId: rejected.healId, actor: "otto@nightshift.test", note: "wrong button" });
    const proposed = await heldRunWithProposal(database.db, database.queue, { oemId: "corvid" });
    const before = await snapshotState(database.sql);
    await expect(approveHeal(database.db, database.queue, { healId: rejected.healId, actor: "ada@nightshift.test" })).rejects.toMatchObject({
      code: "conflict",
      message: "This heal was rejected by otto@nightshift.test, so it can no longer be approved: only a proposal can be.",
    });
    await expect(revertHeal(database.db, { healId: rejected.healId, actor: "ada@nightshift.test" })).rejects.toMatchObject({ code: "conflict" });
    await expect(revertHeal(database.db, { healId: proposed.healId, actor: "ada@nightshift.test" })).rejects.toMatchObject({
      code: "conflict",
      message: "This heal is still a proposal: only an approved heal can be reverted.",
    });
    await expect(rejectHeal(database.db, { queue: database.queue, store }, { healId: rejected.healId, actor: "ada@nightshift.test", note: "again" })).rejects.toMatchObject({ code: "conflict" });
    await expect(approveHeal(database.db, database.queue, { healId: "00000000-0000-4000-8000-000000000000", actor: "ada@nightshift.test" })).rejects.toMatchObject({ code: "not_found" });
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });
});

describe("listing heals", () => {
  it("shows a proposal with its changes in words, snapshots, screenshot link and the runs waiting for it", async () => {
    const shotKey = "runs/0b7e1f0e-8a1c-4c36-9a2e-2f4d2c1a9b10/1/heal-submit.png";
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden", changes: [targetChange(), OVERLAY], screenshotKey: shotKey });
    const [view, ...rest] = await listHeals(database.db, { status: "proposed", artifactUrl: (key) => store.signedUrl(key, { ttlSeconds: 60 }) });
    expect(rest).toEqual([]);
    expect(view).toMatchObject({
      id: held.healId,
      oem: { id: "arden", label: expect.any(String) as unknown },
      status: "proposed",
      proposedBy: "rule",
      waitingRuns: 1,
      runs: [{ runId: held.runId, caseId: held.caseId, caseReference: held.reference, use: "awaiting_approval", runStatus: "awaiting_approval" }],
      snapshots: [{ step: "submit" }],
    });
    expect(view!.screenshotUrl).toMatch(new RegExp(`^/api/artifacts/${shotKey}\\?expires=\\d+&sig=`));
    expect(view!.changes[0]).toMatchObject({ kind: "target", recipeText: 'role button "Send claim"', missKindLabel: "No visible element matches the target." });
    expect(view!.changes[1]).toMatchObject({ kind: "overlay", overlayKey: OVERLAY.overlayKey });
    expect(await listHeals(database.db, { status: "proposed", oemId: "corvid", artifactUrl: () => "" })).toEqual([]);

    await approveHeal(database.db, database.queue, { healId: held.healId, actor: "otto@nightshift.test" });
    expect(await listHeals(database.db, { status: "proposed", artifactUrl: () => "" })).toEqual([]);
    const [approved] = await listHeals(database.db, { status: "approved", artifactUrl: () => "" });
    expect(approved).toMatchObject({ id: held.healId, version: 1, waitingRuns: 0, runs: [{ runStatus: "retry_scheduled" }] });
    expect((await database.db.select().from(heals).where(and(eq(heals.id, held.healId), eq(heals.status, "approved")))).length).toBe(1);
  });
});
