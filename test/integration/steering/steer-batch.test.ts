import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as BatchesRoute from "@/app/api/batches/route";
import type * as SteerRoute from "@/app/api/batches/steer/route";
import { batches, cases, llmCalls } from "@/drizzle/schema";
import { PRODUCTION_RETRY_BOUNDS } from "@/lib/batches/recipe";
import { saveRecipeFromForm } from "@/lib/batches/recipe-settings";
import { getSharedDatabase } from "@/lib/db/shared";
import { syncOems } from "@/lib/oems/catalog";
import { getBatchDetail } from "@/lib/overview/get-batch-detail";
import { actorEmail, actorHeaders } from "@/test/support/actor-headers";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { startFakeOpenAI, type FakeOpenAI } from "@/test/support/fake-openai";

// Run now's "Propose" end to end through the route handlers, against a real HTTP server speaking
// OpenAI's chat-completions protocol (scripted replies) and a real Postgres.

let database: TestDatabase;
let fake: FakeOpenAI;
let steerRoute: typeof SteerRoute;
let batchesRoute: typeof BatchesRoute;
let ops: Record<string, string> = {};

const ORIGIN = "http://127.0.0.1:3000";
const post = (handler: (typeof SteerRoute)["POST"], path: string, body: unknown) =>
  handler(new Request(`${ORIGIN}${path}`, { method: "POST", headers: { "content-type": "application/json", host: "127.0.0.1:3000", origin: ORIGIN, ...ops }, body: JSON.stringify(body) }), {});
const steer = async (body: unknown) => {
  const response = await post(steerRoute.POST, "/api/batches/steer", body);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
};

/** A model answer: only what the instruction asks for, everything else null (the recipe's). */
const answer = (fields: Record<string, unknown>) => ({
  kind: "content" as const,
  content: JSON.stringify({ reading: "", understood: true, oemIds: null, caseKinds: null, order: null, concurrency: null, portalSessions: null, dryRun: null, notExpressible: [], ...fields }),
  inputTokens: 900,
  outputTokens: 60,
});

const steerCalls = async () => database.db.select().from(llmCalls).where(eq(llmCalls.purpose, "steer")).orderBy(llmCalls.createdAt);
const batchCount = async () => (await database.db.select({ n: sql<number>`count(*)::int` }).from(batches))[0]!.n;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeOpenAI();
  // The handlers read their database and model from the web process's environment, as under `npm start`.
  process.env.DATABASE_URL = database.url;
  process.env.LOG_LEVEL = "silent";
  process.env.HEALING_LLM = "openai-compatible";
  process.env.HEALING_LLM_BASE_URL = fake.baseUrl;
  process.env.HEALING_LLM_MODEL = "fake-steer-model";
  process.env.HEALING_LLM_TIMEOUT_MS = "400";
  process.env.HEALING_LLM_PRICE_PER_MTOK = "0.15,0.6";
  (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps = { queue: Promise.resolve(database.queue) };
  steerRoute = await import("@/app/api/batches/steer/route");
  batchesRoute = await import("@/app/api/batches/route");
  ops = await actorHeaders("ops");

  await syncOems(database.db, { portalUrls: {} });
  await database.db.insert(cases).values([
    { crmId: "crm-steer-1", reference: "NS-2026-70001", oemId: "arden", kind: "warranty_claim", crmStatus: "open", redactionSensitive: true },
    { crmId: "crm-steer-2", reference: "NS-2026-70002", oemId: "corvid", kind: "recall", crmStatus: "open" },
    { crmId: "crm-steer-3", reference: "NS-2026-70003", oemId: "borealis", kind: "recall", crmStatus: "open" },
  ]);
  // The recipe the diff is against: oldest first, 2 sessions per portal, 3 on Corvid.
  const saved = await saveRecipeFromForm(database.db, { body: { recipe: { order: "oldest_first", defaultPortalConcurrency: 2, portalConcurrency: { corvid: 3 } } }, bounds: PRODUCTION_RETRY_BOUNDS, actor: "ops-setup" });
  expect(saved.kind).toBe("saved");
});

afterAll(async () => {
  for (const name of ["HEALING_LLM", "HEALING_LLM_BASE_URL", "HEALING_LLM_MODEL", "HEALING_LLM_TIMEOUT_MS", "HEALING_LLM_PRICE_PER_MTOK"]) delete process.env[name];
  delete (globalThis as { nightshiftWebDeps?: unknown }).nightshiftWebDeps;
  await fake?.close();
  await getSharedDatabase().close();
  (globalThis as { nightshiftDb?: unknown }).nightshiftDb = undefined;
  await database?.destroy();
});

describe("POST /api/batches/steer with a model configured", () => {
  it("proposes the scripted parameters with a diff against the recipe and the model's reading, and records the call", async () => {
    const instruction = "only Corvid and Arden, redaction-sensitive first, at most one session on Corvid";
    fake.script(
      answer({
        reading: "Corvid and Arden only, redaction-sensitive cases first, one session on Corvid.",
        oemIds: ["corvid", "arden"],
        order: "redaction_first",
        portalSessions: [{ oemId: "corvid", sessions: 1 }],
        notExpressible: [],
      }),
    );
    const before = fake.requests.length;
    const { status, json } = await steer({ instruction: `  ${instruction}  ` });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json).toMatchObject({
      kind: "proposed",
      instruction,
      reading: "Corvid and Arden only, redaction-sensitive cases first, one session on Corvid.",
      change: { oemIds: ["corvid", "arden"], order: "redaction_first", portalConcurrency: { corvid: 1 } },
      parameters: { oemIds: ["corvid", "arden"], order: "redaction_first", defaultPortalConcurrency: 2, portalConcurrency: { corvid: 1 }, dryRun: false },
      model: { provider: "openai-compatible", model: "fake-steer-model" },
    });
    const changed = (json.diff as Array<{ field: string; recipe: unknown; proposed: unknown; changed: boolean }>).filter((row) => row.changed);
    expect(changed.map((row) => [row.field, row.recipe, row.proposed])).toEqual([
      ["oemIds", [], ["corvid", "arden"]],
      ["order", "oldest_first", "redaction_first"],
      ["portalConcurrency.corvid", 3, 1],
    ]);

    // One request, as OpenAI's protocol has it: the schema as response_format, temperature 0, the instruction in the prompt.
    expect(fake.requests.length - before).toBe(1);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.body).toMatchObject({ model: "fake-steer-model", temperature: 0, response_format: { type: "json_schema" } });
    // Strict structured output (OpenAI) refuses length keywords: the schema carries none.
    expect(request.body.response_format).toMatchObject({ json_schema: { strict: true } });
    expect(JSON.stringify(request.body.response_format)).not.toMatch(/maxLength|minLength/);
    expect(JSON.stringify(request.body.messages)).toContain(instruction);
    expect(JSON.stringify(request.body.messages)).toContain("corvid: Corvid Instruments (session limit 3)");

    const [call] = (await steerCalls()).slice(-1);
    expect(call).toMatchObject({ id: json.callId, purpose: "steer", provider: "openai-compatible", model: "fake-steer-model", outcome: "chose", inputTokens: 900, outputTokens: 60, oemId: null, runId: null });
    expect(call!.costUsd).toBeCloseTo((900 * 0.15 + 60 * 0.6) / 1_000_000);
    expect(call!.response).toMatchObject({ instruction, askedBy: actorEmail("ops"), change: { order: "redaction_first" } });
  });

  it("refuses an answer that names an OEM Nightshift has no portal for, with a sentence, and plans nothing", async () => {
    fake.script(answer({ reading: "Only Delta.", oemIds: ["delta"] }));
    const batchesBefore = await batchCount();
    const { status, json } = await steer({ instruction: "only Delta tonight" });
    expect(status).toBe(422);
    expect(json.error).toEqual({ code: "unprocessable", message: expect.stringContaining("It names an OEM Nightshift has no portal for: “delta” (known: arden, borealis, corvid).") as unknown });
    expect(json.error!.message).toMatch(/^The proposal was refused: .*Nothing was changed/);
    expect((await steerCalls()).at(-1)).toMatchObject({ outcome: "invalid", response: { refused: [expect.stringContaining("“delta”")] } });
    expect(await batchCount()).toBe(batchesBefore);
  });

  it("refuses an answer that gives a portal more sessions than the recipe allows it, rather than clamping", async () => {
    fake.script(answer({ reading: "Five sessions on Arden.", portalSessions: [{ oemId: "arden", sessions: 5 }] }));
    const { status, json } = await steer({ instruction: "go faster on Arden, five sessions" });
    expect(status).toBe(422);
    expect(json.error!.message).toContain("It asks for 5 sessions on Arden Motors; the recipe allows at most 2 there.");
  });

  it("answers malformed model output with a clear error, recorded as malformed", async () => {
    fake.script({ kind: "content", content: "Sure! Only Corvid tonight, I think." }, answer({ oemIds: "corvid" }));
    for (const instruction of ["only Corvid", "only Corvid again"]) {
      const { status, json } = await steer({ instruction });
      expect(status).toBe(422);
      expect(json.error).toEqual({ code: "unprocessable", message: "The model's answer was not a proposal Nightshift can read (malformed output). Nothing was changed: try again, or set the fields by hand." });
    }
    expect((await steerCalls()).slice(-2).map((call) => [call.outcome, (call.response as { error?: string }).error])).toEqual([
      ["malformed", "malformed"],
      ["malformed", "malformed"],
    ]);
  });

  it("answers a rate-limited or slow provider with a 503 sentence", async () => {
    fake.script({ kind: "rate_limited" }, { kind: "delay", ms: 3_000 });
    const limited = await steer({ instruction: "only Corvid" });
    expect(limited.status).toBe(503);
    expect(limited.json.error!.message).toContain("rate limited");
    const slow = await steer({ instruction: "only Corvid" });
    expect(slow.status).toBe(503);
    expect(slow.json.error!.message).toBe("The model did not answer within 0.4 s. Nothing was changed: try again, or set the fields by hand.");
    expect((await steerCalls()).slice(-2).map((call) => call.outcome)).toEqual(["rate_limited", "timeout"]);
  });

  it("refuses an empty or too-long instruction with a 400 and asks the model nothing", async () => {
    const before = fake.requests.length;
    for (const body of [{ instruction: "   " }, { instruction: "x".repeat(501) }, {}, { instruction: "only Corvid", extra: true }]) {
      const { status, json } = await steer(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error!.code).toBe("bad_request");
    }
    expect((await steer({ instruction: "" })).json.error!.message).toBe("instruction: Write an instruction in words");
    expect((await steer({ instruction: "x".repeat(501) })).json.error!.message).toBe("instruction: At most 500 characters");
    expect(fake.requests.length).toBe(before);
  });
});

describe("Run now with an instruction", () => {
  it("stores the instruction on the batch it plans, and the batch page reads it", async () => {
    const instruction = "only Corvid and Arden, redaction-sensitive first, at most one session on Corvid";
    const response = await post(batchesRoute.POST, "/api/batches", { oemIds: ["corvid", "arden"], order: "redaction_first", portalConcurrency: { corvid: 1 }, instruction: ` ${instruction} ` });
    expect(response.status).toBe(201);
    const { batchId } = (await response.json()) as { batchId: string };
    const [row] = await database.db.select({ instruction: batches.instruction, parameters: batches.parameters }).from(batches).where(eq(batches.id, batchId));
    expect(row).toMatchObject({ instruction, parameters: { oemIds: ["corvid", "arden"], order: "redaction_first", portalConcurrency: { corvid: 1 } } });
    const detail = await getBatchDetail(database.db, { batchId, store: { signedUrl: () => Promise.resolve("") }, ttlSeconds: 60 });
    expect(detail?.batch.instruction).toBe(instruction);
  });

  it("refuses an instruction over 500 characters with a field error and plans nothing; without one the batch has none", async () => {
    const before = await batchCount();
    const response = await post(batchesRoute.POST, "/api/batches", { oemIds: ["borealis"], instruction: "y".repeat(501) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { fields: Record<string, string[]> } }).error.fields).toEqual({ instruction: ["At most 500 characters"] });
    expect(await batchCount()).toBe(before);

    const plain = await post(batchesRoute.POST, "/api/batches", { oemIds: ["borealis"], instruction: "  " });
    expect(plain.status).toBe(201);
    const { batchId } = (await plain.json()) as { batchId: string };
    expect((await database.db.select({ instruction: batches.instruction }).from(batches).where(eq(batches.id, batchId)))[0]).toEqual({ instruction: null });
  });
});

describe("with an incomplete model configuration", () => {
  it("answers 503 naming the variable that is missing, and asks nothing", async () => {
    delete process.env.HEALING_LLM_BASE_URL;
    vi.resetModules();
    const route = await import("@/app/api/batches/steer/route");
    const before = fake.requests.length;
    const response = await post(route.POST, "/api/batches/steer", { instruction: "only Corvid" });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^The language model is not configured completely: HEALING_LLM_BASE_URL: must be set when HEALING_LLM=openai-compatible/);
    expect(fake.requests.length).toBe(before);
    process.env.HEALING_LLM_BASE_URL = fake.baseUrl;
  });
});

describe("with HEALING_LLM=off", () => {
  it("refuses to propose with a sentence, and the model server gets zero requests", async () => {
    process.env.HEALING_LLM = "off";
    vi.resetModules();
    const offRoute = await import("@/app/api/batches/steer/route");
    const before = fake.requests.length;
    const callsBefore = (await steerCalls()).length;
    fake.script(answer({ oemIds: ["corvid"] }));
    const response = await post(offRoute.POST, "/api/batches/steer", { instruction: "only Corvid" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: unknown }).error).toEqual({
      code: "conflict",
      message: "No language model is configured (HEALING_LLM=off), so instructions in words are off: set the batch parameters by hand.",
    });
    expect(fake.requests.length).toBe(before);
    expect(fake.pending()).toBe(1);
    expect((await steerCalls()).length).toBe(callsBefore);
  });
});
