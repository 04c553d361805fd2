import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as ListRoute from "@/app/api/heals/route";
import type * as ApproveRoute from "@/app/api/heals/[id]/approve/route";
import type * as RejectRoute from "@/app/api/heals/[id]/reject/route";
import type * as RevertRoute from "@/app/api/heals/[id]/revert/route";
import { auditLog, runs } from "@/drizzle/schema";
import type { HealView } from "@/lib/heals/list-heals";
import { syncOems } from "@/lib/oems/catalog";
import { listJobs } from "@/lib/queue/job-queue";
import { jobKeyForRun } from "@/lib/queue/tasks";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { heldRunWithProposal } from "../../support/heal-fixtures";
import { changedTables, snapshotState } from "../../support/state-snapshot";
import { releaseWebDeps } from "../../support/web-deps";

// The review queue's API through the real route handlers: a real signed-in session (better-auth
// cookie), the same-origin rule, zod parsing and the error mapping, against a real Postgres.
let database: TestDatabase;
let dataDir: string;
const savedEnv = { ...process.env };
const ORIGIN = "http://127.0.0.1:3000";
let routes: { list: typeof ListRoute.GET; approve: typeof ApproveRoute.POST; reject: typeof RejectRoute.POST; revert: typeof RevertRoute.POST };
const people: Partial<Record<"viewer" | "ops", Record<string, string>>> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-heals-api-"));
  process.env.DATABASE_URL = database.url;
  process.env.NIGHTSHIFT_DATA_DIR = dataDir;
  process.env.ARTIFACTS_DIR = path.join(dataDir, "artifacts");
  process.env.ARTIFACT_URL_SECRET = "s".repeat(40);
  process.env.LOG_LEVEL = "silent";
  routes = {
    list: (await import("@/app/api/heals/route")).GET,
    approve: (await import("@/app/api/heals/[id]/approve/route")).POST,
    reject: (await import("@/app/api/heals/[id]/reject/route")).POST,
    revert: (await import("@/app/api/heals/[id]/revert/route")).POST,
  };
  people.viewer = await actorHeaders("viewer");
  people.ops = await actorHeaders("ops");
});

afterAll(async () => {
  await releaseWebDeps();
  process.env = savedEnv;
  await database?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

const headers = (who: "viewer" | "ops") => ({ "content-type": "application/json", host: "127.0.0.1:3000", origin: ORIGIN, ...people[who] });
const get = (query: string, who: "viewer" | "ops" = "viewer") => routes.list(new Request(`${ORIGIN}/api/heals${query}`, { headers: headers(who) }), {});
const post = (action: "approve" | "reject" | "revert", healId: string, body: unknown, who: "viewer" | "ops" = "ops") =>
  routes[action](new Request(`${ORIGIN}/api/heals/${healId}/${action}`, { method: "POST", headers: headers(who), body: JSON.stringify(body) }), { params: Promise.resolve({ id: healId }) });
const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

describe("GET /api/heals", () => {
  it("lists proposals for a viewer, with the runs waiting and their cases", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    const response = await get("?status=proposed");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; heals: HealView[] };
    expect(body.status).toBe("proposed");
    const mine = body.heals.find((h) => h.id === held.healId);
    expect(mine).toMatchObject({ waitingRuns: 1, runs: [{ runId: held.runId, caseReference: held.reference }], changes: [{ recipeText: 'role button "Send claim"' }] });
  });

  it("answers 400 with a sentence for an unknown status, and 401 when nobody is signed in", async () => {
    const bad = await get("?status=pending");
    expect(bad.status).toBe(400);
    const error = await errorOf(bad);
    expect(error.code).toBe("bad_request");
    expect(error.message).toContain("Status must be one of proposed, approved, rejected, reverted.");
    const anonymous = await routes.list(new Request(`${ORIGIN}/api/heals`, { headers: { host: "127.0.0.1:3000" } }), {});
    expect(anonymous.status).toBe(401);
  });
});

describe("POST /api/heals/:id/approve, reject, revert", () => {
  it("lets ops approve (the held run queued again, audited as them), then refuses a second approval with 409", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "corvid" });
    const approved = await post("approve", held.healId, { note: "looks right" });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ healId: held.healId, version: 1, requeuedRunIds: [held.runId] });
    expect((await database.db.select({ status: runs.status }).from(runs).where(eq(runs.id, held.runId)))[0]?.status).toBe("retry_scheduled");
    expect(await listJobs(database.db, { keys: [jobKeyForRun(held.runId)] })).toHaveLength(1);
    const [audit] = await database.db.select().from(auditLog).where(eq(auditLog.action, "heal.approve"));
    expect(audit?.actor).toBe(actorEmail("ops"));

    const before = await snapshotState(database.sql);
    const again = await post("approve", held.healId, {});
    expect(again.status).toBe(409);
    expect((await errorOf(again)).message).toBe(`This heal was already approved by ${actorEmail("ops")}: nothing was changed.`);
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);

    const reverted = await post("revert", held.healId, {});
    expect(reverted.status).toBe(200);
    expect(await reverted.json()).toMatchObject({ healId: held.healId, removed: 1, restored: [] });
  });

  it("refuses a viewer (403) and changes nothing", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "arden" });
    const before = await snapshotState(database.sql);
    for (const action of ["approve", "reject", "revert"] as const) {
      const response = await post(action, held.healId, { note: "no" }, "viewer");
      expect(response.status).toBe(403);
    }
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);
  });

  it("needs a note to reject (400 beside the field), then parks the held run", async () => {
    const held = await heldRunWithProposal(database.db, database.queue, { oemId: "borealis" });
    const before = await snapshotState(database.sql);
    const missing = await post("reject", held.healId, {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { fields: Record<string, string[]> } }).error.fields.note).toEqual(["Say why the change is wrong"]);
    expect((await post("reject", "not-a-uuid", { note: "x" })).status).toBe(400);
    expect((await post("approve", "00000000-0000-4000-8000-000000000000", {})).status).toBe(404);
    expect(changedTables(before, await snapshotState(database.sql))).toEqual([]);

    const rejected = await post("reject", held.healId, { note: "Send claim opens the wrong form" });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toEqual({ healId: held.healId, parkedRunIds: [held.runId] });
    expect((await database.db.select({ status: runs.status, code: runs.errorCode }).from(runs).where(eq(runs.id, held.runId)))[0]).toEqual({ status: "parked", code: "heal_rejected" });
  });
});
