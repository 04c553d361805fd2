import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as RouteModule from "@/app/api/runs/route";
import { batches, cases, runs } from "@/drizzle/schema";
import type { StoredFailure } from "@/lib/domain/types";
import type { ErrorClass, RunStatus } from "@/lib/domain/vocabulary";
import { syncOems } from "@/lib/oems/catalog";
import { countRuns, listRuns, RUN_COUNT_CAP } from "@/lib/runs/queries/list-runs";
import { EMPTY_RUN_LIST_FILTER, parseRunListParams, type RunListFilter } from "@/lib/runs/queries/run-list-params";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { actorHeaders } from "@/test/support/actor-headers";
import { releaseWebDeps } from "../../support/web-deps";

// A fixed reference time: every timestamp below is an offset from it.
const T0 = new Date("2026-01-15T01:30:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let database: TestDatabase;
let dataDir: string;
const savedEnv = { ...process.env };
const ids: Record<string, string> = {};
let batchA: string;
let batchB: string;
let batchBig: string;
const TIES = 40;

async function makeCase(reference: string, oemId: string): Promise<string> {
  const [row] = await database.db.insert(cases).values({ crmId: `CRM-${reference}`, reference, oemId, kind: "warranty_claim", crmStatus: "new", status: "pending" }).returning({ id: cases.id });
  return row!.id;
}

function failureOf(runId: string, errorClass: ErrorClass, fingerprint: string): StoredFailure {
  return {
    reason: `The portal refused it (${errorClass}).`,
    errorClass,
    code: "some_code",
    lastGoodStep: "fill",
    failingStep: "submit",
    attempts: [],
    evidence: { screenshot: `runs/${runId}/1/failure.png`, dom: null, trace: null },
    portalUrl: null,
    fingerprint,
    nextAction: "Look at it.",
  };
}

async function makeRun(values: { caseId: string; status: RunStatus; createdAt: Date; batchId?: string; errorClass?: ErrorClass; fingerprint?: string }): Promise<string> {
  const [row] = await database.db
    .insert(runs)
    .values({ caseId: values.caseId, status: values.status, batchId: values.batchId ?? null, createdAt: values.createdAt, startedAt: values.createdAt, errorClass: values.errorClass ?? null, attemptCount: 1 })
    .returning({ id: runs.id });
  const id = row!.id;
  if (values.errorClass && values.fingerprint) {
    await database.db.execute(sql`update runs set failure = ${JSON.stringify(failureOf(id, values.errorClass, values.fingerprint))}::jsonb, fingerprint = ${values.fingerprint}, finished_at = created_at + interval '1 minute' where id = ${id}`);
  }
  return id;
}

const filter = (patch: Partial<RunListFilter>): RunListFilter => ({ ...EMPTY_RUN_LIST_FILTER, ...patch });

/** Every run id the filter shows, walking Next from the newest page. */
async function walk(f: RunListFilter, limit: number): Promise<{ ids: string[]; pages: Awaited<ReturnType<typeof listRuns>>[] }> {
  const pages = [];
  let page = await listRuns(database.db, { filter: f, cursor: null, limit });
  pages.push(page);
  while (page.nextCursor) {
    const parsed = parseRunListParams({ cursor: page.nextCursor });
    if (!parsed.ok) throw new Error(parsed.message);
    page = await listRuns(database.db, { filter: f, cursor: parsed.params.cursor, limit });
    pages.push(page);
    if (pages.length > 100) throw new Error("no end");
  }
  return { ids: pages.flatMap((p) => p.rows.map((r) => r.id)), pages };
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "ns-runs-view-"));
  const { db } = database;
  await syncOems(db, { portalUrls: {} });
  const [a, b, big] = await db
    .insert(batches)
    .values([
      { trigger: "cron", createdAt: at(-60) },
      { trigger: "manual", createdAt: at(-30) },
      { trigger: "manual", createdAt: at(-1000) },
    ])
    .returning({ id: batches.id });
  batchA = a!.id;
  batchB = b!.id;
  batchBig = big!.id;

  // 40 submitted Borealis runs in batch A whose created_at tie in groups of 8 (5 instants), so
  // only the id breaks the tie; two more sit a microsecond either side of one instant.
  for (let i = 0; i < TIES; i++) {
    const caseId = await makeCase(`NS-2026-T${String(i).padStart(3, "0")}`, "borealis");
    await makeRun({ caseId, status: "submitted", createdAt: at(-20 + Math.floor(i / 8)), batchId: batchA });
  }
  ids.microBefore = await makeRun({ caseId: await makeCase("NS-2026-M001", "borealis"), status: "submitted", createdAt: at(-18), batchId: batchA });
  ids.microAfter = await makeRun({ caseId: await makeCase("NS-2026-M002", "borealis"), status: "submitted", createdAt: at(-18), batchId: batchA });
  await db.execute(sql`update runs set created_at = created_at - interval '1 microsecond' where id = ${ids.microBefore}`);
  await db.execute(sql`update runs set created_at = created_at + interval '1 microsecond' where id = ${ids.microAfter}`);

  ids.failedArden = await makeRun({ caseId: await makeCase("NS-2026-00021", "arden"), status: "failed", createdAt: at(10), batchId: batchB, errorClass: "site_changed", fingerprint: "fp-arden-submit" });
  ids.parkedCorvid = await makeRun({ caseId: await makeCase("NS-2026-00022", "corvid"), status: "parked", createdAt: at(9), batchId: batchB, errorClass: "adapter_bug", fingerprint: "fp-corvid" });
  ids.reviewArden = await makeRun({ caseId: await makeCase("NS-2026-00023", "arden"), status: "needs_review", createdAt: at(8), errorClass: "portal_rejected", fingerprint: "fp-arden-rejected" });
  ids.queuedCorvid = await makeRun({ caseId: await makeCase("NS-2026-00024", "corvid"), status: "queued", createdAt: at(7) });
  // The day before, with LIKE wildcards in its reference.
  ids.wild = await makeRun({ caseId: await makeCase("NS-2026-50%_X", "arden"), status: "submitted", createdAt: at(-24 * 60) });
});

afterAll(async () => {
  await releaseWebDeps();
  process.env = savedEnv;
  await database?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("listRuns: keyset pages", () => {
  const TOTAL = TIES + 2 + 5;

  it("walks every run newest first, once each, when many share created_at to the microsecond", async () => {
    const expected = (await database.db.execute<{ id: string }>(sql`select id from runs order by created_at desc, id desc`)).map((r) => r.id);
    expect(expected).toHaveLength(TOTAL);
    for (const limit of [1, 7, 8, 50]) {
      const { ids: seen } = await walk(EMPTY_RUN_LIST_FILTER, limit);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    // The microsecond neighbours keep their order even though a JS Date cannot tell them apart.
    expect(expected.indexOf(ids.microAfter!)).toBeLessThan(expected.indexOf(ids.microBefore!));
  });

  it("goes back with Previous to exactly the page before, and the newest page has no Previous (index order and in-memory order)", async () => {
    for (const f of [EMPTY_RUN_LIST_FILTER, filter({ batch: batchA })]) {
      const { pages } = await walk(f, 7);
      expect(pages[0]!.prevCursor).toBeNull();
      for (let i = 1; i < pages.length; i++) {
        const parsed = parseRunListParams({ cursor: pages[i]!.prevCursor! });
        if (!parsed.ok) throw new Error(parsed.message);
        const back = await listRuns(database.db, { filter: f, cursor: parsed.params.cursor, limit: 7 });
        expect(back.rows.map((r) => r.id), `back from page ${i + 1}`).toEqual(pages[i - 1]!.rows.map((r) => r.id));
        expect(back.prevCursor === null).toBe(i === 1);
      }
      expect(pages.at(-1)!.nextCursor).toBeNull();
    }
  });

  it("joins each run's case, OEM and batch, and gives a failed run its reason, step and screenshot key", async () => {
    const { rows } = await listRuns(database.db, { filter: EMPTY_RUN_LIST_FILTER, cursor: null, limit: 3 });
    expect(rows.map((r) => r.id)).toEqual([ids.failedArden, ids.parkedCorvid, ids.reviewArden]);
    expect(rows[0]).toMatchObject({
      reference: "NS-2026-00021",
      oem: { id: "arden", label: "Arden Motors", color: "#b4232a", monogram: "AM" },
      batchId: batchB,
      batch: { trigger: "manual", createdAt: at(-30) },
      status: "failed",
      errorClass: "site_changed",
      reason: "The portal refused it (site_changed).",
      failingStep: "submit",
      screenshotKey: `runs/${ids.failedArden}/1/failure.png`,
      createdAt: at(10),
      finishedAt: at(11),
    });
    const submitted = (await listRuns(database.db, { filter: filter({ status: ["submitted"] }), cursor: null, limit: 1 })).rows[0]!;
    expect(submitted).toMatchObject({ reason: null, screenshotKey: null, batch: { trigger: "cron" } });
  });
});

describe("listRuns: filters", () => {
  const shown = async (f: Partial<RunListFilter>) => (await walk(filter(f), 200)).ids;

  it("filters by OEM through the case", async () => {
    expect(new Set(await shown({ oem: "arden" }))).toEqual(new Set([ids.failedArden, ids.reviewArden, ids.wild]));
    expect(await shown({ oem: "nowhere" })).toEqual([]);
  });

  it("filters by any of several statuses", async () => {
    expect(await shown({ status: ["failed", "parked"] })).toEqual([ids.failedArden, ids.parkedCorvid]);
    expect(await shown({ status: ["queued"] })).toEqual([ids.queuedCorvid]);
  });

  it("filters by error class, batch and fingerprint", async () => {
    expect(await shown({ errorClass: "portal_rejected" })).toEqual([ids.reviewArden]);
    expect(await shown({ batch: batchB })).toEqual([ids.failedArden, ids.parkedCorvid]);
    expect(await shown({ batch: batchA })).toHaveLength(TIES + 2);
    expect(await shown({ fingerprint: "fp-corvid" })).toEqual([ids.parkedCorvid]);
  });

  it("searches case references by a part of them, case-insensitively, with LIKE wildcards taken literally", async () => {
    expect(await shown({ q: "ns-2026-0002" })).toEqual([ids.failedArden, ids.parkedCorvid, ids.reviewArden, ids.queuedCorvid]);
    expect(await shown({ q: "50%_" })).toEqual([ids.wild]);
    expect(await shown({ q: "%" })).toEqual([ids.wild]);
  });

  it("filters by creation date: a date is its whole UTC day, both ends included", async () => {
    expect(await shown({ to: "2026-01-14" })).toEqual([ids.wild]);
    expect(await shown({ from: "2026-01-14", to: "2026-01-14" })).toEqual([ids.wild]);
    expect(await shown({ from: "2026-01-15" })).toHaveLength(TIES + 2 + 4);
    expect(await shown({ from: "2026-01-15T01:37:00Z", to: "2026-01-15T01:38:59Z" })).toEqual([ids.reviewArden, ids.queuedCorvid]);
    expect(await shown({ from: "2026-01-15T01:37:00Z", to: "2026-01-15T01:39:00Z" })).toEqual([ids.parkedCorvid, ids.reviewArden, ids.queuedCorvid]);
  });

  it("combines filters, and pages a filtered list without skipping or repeating", async () => {
    expect(await shown({ oem: "arden", status: ["failed", "needs_review"], from: "2026-01-15" })).toEqual([ids.failedArden, ids.reviewArden]);
    const all = await shown({ batch: batchA });
    expect((await walk(filter({ batch: batchA }), 5)).ids).toEqual(all);
  });
});

describe("countRuns", () => {
  it("counts what the filter matches", async () => {
    expect(await countRuns(database.db, EMPTY_RUN_LIST_FILTER)).toEqual({ value: TIES + 2 + 5, capped: false });
    expect(await countRuns(database.db, filter({ oem: "arden", q: "NS" }))).toEqual({ value: 3, capped: false });
    expect(await countRuns(database.db, filter({ status: ["parked", "failed"] }))).toEqual({ value: 2, capped: false });
  });

  it("stops counting past 10,000 and says so", async () => {
    const caseId = await makeCase("NS-2026-BIG", "corvid");
    await database.db.execute(sql`
      insert into runs (case_id, batch_id, status, created_at)
      select ${caseId}, ${batchBig}, 'failed', ${at(-2000).toISOString()}::timestamptz + make_interval(secs => g) from generate_series(1, ${RUN_COUNT_CAP + 50}) g`);
    expect(await countRuns(database.db, filter({ batch: batchBig }))).toEqual({ value: RUN_COUNT_CAP, capped: true });
    expect(await countRuns(database.db, filter({ batch: batchBig, q: "NS-2026-BIG" }))).toEqual({ value: RUN_COUNT_CAP, capped: true });
  });
});

describe("GET /api/runs", () => {
  let GET: typeof RouteModule.GET;
  let signedIn: Record<string, string> = {};

  beforeAll(async () => {
    process.env.DATABASE_URL = database.url;
    process.env.NIGHTSHIFT_DATA_DIR = dataDir;
    process.env.ARTIFACTS_DIR = path.join(dataDir, "artifacts");
    process.env.ARTIFACT_URL_SECRET = "s".repeat(40);
    process.env.LOG_LEVEL = "silent";
    ({ GET } = await import("@/app/api/runs/route"));
    signedIn = await actorHeaders("viewer");
  });

  const get = (query: string) => GET(new Request(`http://127.0.0.1:3000/api/runs${query}`, { headers: signedIn }), {});

  it("answers a page of runs with signed screenshot links, cursors, the capped count and the OEM options", async () => {
    const response = await get(`?status=failed,parked&oem=arden&limit=10`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { rows: Array<Record<string, unknown>> };
    expect(body).toMatchObject({
      filter: { ...EMPTY_RUN_LIST_FILTER, oem: "arden", status: ["failed", "parked"] },
      limit: 10,
      paged: false,
      nextCursor: null,
      prevCursor: null,
      count: { value: 1, capped: false },
      anyRuns: true,
      batch: null,
    });
    expect((body.oems as unknown[]).length).toBe(3);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ id: ids.failedArden, reason: "The portal refused it (site_changed).", createdAt: at(10).toISOString() });
    expect(body.rows[0]!.screenshotKey).toBeUndefined();
    expect(body.rows[0]!.screenshotUrl).toMatch(new RegExp(`^/api/artifacts/runs/${ids.failedArden}/1/failure\\.png\\?expires=\\d+&sig=[A-Za-z0-9_-]{43}$`));
  });

  it("names the filtered batch and pages with the cursors it hands out", async () => {
    const first = (await (await get(`?batch=${batchA}&limit=20`)).json()) as { rows: Array<{ id: string }>; nextCursor: string; batch: { trigger: string } };
    expect(first.batch).toMatchObject({ trigger: "cron" });
    const second = (await (await get(`?batch=${batchA}&limit=20&cursor=${first.nextCursor}`)).json()) as { rows: Array<{ id: string }>; prevCursor: string | null; paged: boolean };
    expect(second.paged).toBe(true);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(40);
  });

  it("refuses bad parameters with 400 and a message per field", async () => {
    const response = await get(`?status=exploded&batch=42&limit=500&from=2026-13-01&cursor=abc`);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; fields: Record<string, string[]> } };
    expect(error.code).toBe("bad_request");
    expect(Object.keys(error.fields).sort()).toEqual(["batch", "cursor", "from", "limit", "status.0"]);
    expect(error.fields.limit).toEqual(["At most 200"]);
  });
});
