import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { batches, cases, llmCalls, runs } from "@/drizzle/schema";
import type { ModelTierPort } from "@/jobs/automation/healing/session";
import { EnvError, parseEnv, type Env } from "@/lib/config/env";
import type { ElementFingerprint, Target } from "@/lib/healing";
import { BREAKER_OPEN_MS, createModelTier, type ModelTierCandidate, type ModelTierInput } from "@/lib/healing/model-tier";
import { createLanguageModel } from "@/lib/llm/provider";
import { createLogger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { choiceContent, startFakeOpenAI, type FakeOpenAI } from "@/test/support/fake-openai";

// The model tier against a real HTTP peer of OpenAI's chat-completions protocol and real Postgres:
// what it asks, what it accepts, and the limits (per run, per portal per day, memo, breaker) that
// are read back from llm_calls — proven by the number of requests the fake server received.

const log = createLogger({ level: "silent", format: "json" });
let database: TestDatabase;
let fake: FakeOpenAI;

const SUBMIT: Target = { id: "arden.claim.submit", intent: "the button that files the warranty claim", kind: "button", reversible: false };

function fingerprint(name: string, extra: Partial<ElementFingerprint> = {}): ElementFingerprint {
  return { role: "button", name, label: null, tag: "button", id: null, nameAttribute: null, testId: null, type: "submit", placeholder: null, ancestors: ["main", "form:Warranty claim"], nearbyText: null, siblingIndex: 0, siblingCount: 3, ...extra };
}

const CANDIDATES: ModelTierCandidate[] = [
  { number: 1, fingerprint: fingerprint("Save draft", { type: "button", siblingIndex: 0 }), hasRecipe: true, excluded: null, score: 0.3 },
  { number: 2, fingerprint: fingerprint("Submit claim", { siblingIndex: 1 }), hasRecipe: true, excluded: null, score: 0.8 },
  { number: 3, fingerprint: fingerprint("Submit claim", { siblingIndex: 2 }), hasRecipe: true, excluded: null, score: 0.8 },
  { number: 4, fingerprint: fingerprint("Withdraw claim", { type: "button", siblingIndex: 3 }), hasRecipe: true, excluded: "a different action (withdraw)", score: 0.5 },
];

function env(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    DATABASE_URL: database.url,
    NIGHTSHIFT_SECRET_KEY: randomBytes(32).toString("base64"),
    HEALING_LLM: "openai-compatible",
    HEALING_LLM_MODEL: "qwen2.5:7b-instruct",
    HEALING_LLM_BASE_URL: fake.baseUrl,
    HEALING_LLM_TIMEOUT_MS: "2000",
    HEALING_LLM_MAX_CALLS_PER_RUN: "10",
    ...overrides,
  });
}

let counter = 0;
async function newRun(oemId = "arden"): Promise<string> {
  counter += 1;
  const [batch] = await database.db.insert(batches).values({ trigger: "manual", status: "running", startedAt: new Date(), deadline: new Date(Date.now() + 3_600_000), caseCount: 1 }).returning({ id: batches.id });
  const [kase] = await database.db.insert(cases).values({ crmId: `crm-llm-${counter}`, reference: `NS-LLM-${counter}`, oemId, kind: "warranty_claim", crmStatus: "open" }).returning({ id: cases.id });
  const [run] = await database.db.insert(runs).values({ caseId: kase!.id, batchId: batch!.id, status: "running" }).returning({ id: runs.id });
  return run!.id;
}

/** A question of its own (page state and step), so each has its own memo and breaker. */
function question(runId: string, overrides: Partial<ModelTierInput> = {}): ModelTierInput {
  counter += 1;
  return { oemId: "arden", runId, step: `claim-${counter}`, target: SUBMIT, missKind: "ambiguous", before: fingerprint("Submit claim", { id: "submit-claim", siblingIndex: 1, siblingCount: 2 }), ariaDiff: `- button "Submit claim"\n+ button "Submit claim"\n+ button "Submit claim"\n+ heading "Claim ${counter}"`, candidates: CANDIDATES, ...overrides };
}

const rowsFor = (runId: string) => database.db.select().from(llmCalls).where(eq(llmCalls.runId, runId)).orderBy(llmCalls.createdAt);

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  fake = await startFakeOpenAI();
});

afterAll(async () => {
  await fake?.close();
  await database?.destroy();
});

beforeEach(() => {
  fake.reset();
});

describe("asking the model", () => {
  it("returns a scripted choice with its cost, records the call with tokens and latency, and offers no excluded candidate", async () => {
    const tier: ModelTierPort = createModelTier({ db: database.db, env: env({ HEALING_LLM_PRICE_PER_MTOK: "0.15,0.6" }), log });
    const runId = await newRun();
    fake.script(choiceContent({ decision: "choose", candidate: 3, reason: "the second submit button is inside the claim form" }));
    const answer = await tier.choose(question(runId));
    expect(answer).toEqual({ kind: "chose", number: 3, reason: "the second submit button is inside the claim form", callId: expect.any(String) as string, provider: "openai-compatible", model: "qwen2.5:7b-instruct", costUsd: (1200 * 0.15 + 40 * 0.6) / 1e6, requested: true });

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body as { model: string; temperature: number; response_format: { type: string }; messages: Array<{ role: string; content: string }> };
    expect(body).toMatchObject({ model: "qwen2.5:7b-instruct", temperature: 0, response_format: { type: "json_schema" } });
    const prompt = body.messages.find((m) => m.role === "user")!.content;
    expect(prompt).toContain("the button that files the warranty claim");
    expect(prompt).toContain("More than one element could be the target");
    expect(prompt).toContain('Last time it looked like: button "Submit claim" · id=submit-claim');
    expect(prompt).toContain('3. button "Submit claim" · type=submit · in main > form:Warranty claim · 3 of 3');
    expect(prompt).toContain('+ button "Submit claim"');
    expect(prompt).not.toContain("Withdraw claim");

    const [row] = await rowsFor(runId);
    expect(row).toMatchObject({ id: answer.callId, purpose: "heal", oemId: "arden", targetId: SUBMIT.id, outcome: "chose", choice: 3, inputTokens: 1200, outputTokens: 40, provider: "openai-compatible", model: "qwen2.5:7b-instruct" });
    expect(row!.costUsd).toBeCloseTo(0.000204, 9);
    expect(row!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(row!.memoKey).toMatch(/^[0-9a-f]{64}$/);

    await tier.recordValidation(answer.callId!, true, "one visible element, role fits, not covered");
    const [validated] = await rowsFor(runId);
    expect(validated).toMatchObject({ outcome: "chose", response: { validation: { ok: true } } });
  });

  it("speaks the same protocol through @ai-sdk/openai (HEALING_LLM=openai with a base URL), cost unset without a price", async () => {
    const tier = createModelTier({ db: database.db, env: env({ HEALING_LLM: "openai", HEALING_LLM_MODEL: "gpt-4o-mini", HEALING_LLM_API_KEY: "sk-test" }), log });
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "two identical buttons" }));
    const answer = await tier.choose(question(await newRun()));
    expect(answer).toMatchObject({ kind: "declined", reason: "two identical buttons" });
    expect(fake.requests[0]).toMatchObject({ path: "/v1/chat/completions", headers: { authorization: "Bearer sk-test" }, body: { model: "gpt-4o-mini", temperature: 0 } });
    const [row] = await database.db.select().from(llmCalls).where(eq(llmCalls.id, answer.callId!));
    expect(row).toMatchObject({ outcome: "declined", provider: "openai", model: "gpt-4o-mini", costUsd: null, inputTokens: 1200 });
  });

  it("speaks Anthropic's messages API through @ai-sdk/anthropic (HEALING_LLM=anthropic with a base URL)", async () => {
    const tier = createModelTier({ db: database.db, env: env({ HEALING_LLM: "anthropic", HEALING_LLM_MODEL: "claude-3-5-haiku-latest", HEALING_LLM_API_KEY: "sk-ant-test", HEALING_LLM_PRICE_PER_MTOK: "0.8,4" }), log });
    const runId = await newRun();
    fake.script(choiceContent({ decision: "choose", candidate: 2, reason: "the first submit" }), { kind: "rate_limited" });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "chose", number: 2, provider: "anthropic", model: "claude-3-5-haiku-latest", costUsd: (1200 * 0.8 + 40 * 4) / 1e6 });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "rate_limited" });
    expect(fake.requests[0]).toMatchObject({ path: "/v1/messages", headers: { "x-api-key": "sk-ant-test" }, body: { model: "claude-3-5-haiku-latest", temperature: 0 } });
    expect((await rowsFor(runId)).map((r) => r.outcome)).toEqual(["chose", "rate_limited"]);
  });

  it("rejects a choice of a number that was not offered (an excluded candidate, or one not in the list) as malformed", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    fake.script(choiceContent({ decision: "choose", candidate: 4, reason: "withdraw" }), choiceContent({ decision: "choose", candidate: 17, reason: "made up" }));
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "malformed", detail: "The model's answer was refused: it chose candidate 4, which was not offered." });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "malformed", detail: "The model's answer was refused: it chose candidate 17, which was not offered." });
    expect((await rowsFor(runId)).map((r) => [r.outcome, r.choice])).toEqual([["malformed", null], ["malformed", null]]);
  });

  it("records output that is not the requested JSON as malformed", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    fake.script({ kind: "content", content: "I think it is the second button." }, { kind: "content", content: '{"decision":"pick","candidate":"two"}' });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "malformed", detail: expect.stringContaining("not the requested JSON") as string });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "malformed" });
    const rows = await rowsFor(runId);
    expect(rows.map((r) => r.outcome)).toEqual(["malformed", "malformed"]);
    expect(rows[0]).toMatchObject({ inputTokens: 1000, outputTokens: 30, response: { error: "malformed" } });
  });

  it("classifies HTTP 429 as rate_limited, without retrying", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    fake.script({ kind: "rate_limited" });
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "rate_limited", detail: expect.stringContaining("HTTP 429") as string });
    expect(fake.requests).toHaveLength(1);
    expect((await rowsFor(runId)).map((r) => r.outcome)).toEqual(["rate_limited"]);
  });

  it("gives up after HEALING_LLM_TIMEOUT_MS and records a timeout", async () => {
    const tier = createModelTier({ db: database.db, env: env({ HEALING_LLM_TIMEOUT_MS: "300" }), log });
    const runId = await newRun();
    fake.script({ kind: "delay", ms: 5_000 });
    const started = Date.now();
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "timeout", detail: "no answer within 300 ms" });
    expect(Date.now() - started).toBeLessThan(1_500);
    const [row] = await rowsFor(runId);
    expect(row).toMatchObject({ outcome: "timeout" });
    expect(row!.latencyMs).toBeGreaterThanOrEqual(290);
    expect(row!.latencyMs).toBeLessThan(1_500);
  });
});

describe("limits", () => {
  it("makes at most HEALING_LLM_MAX_CALLS_PER_RUN requests in a run, across tier instances", async () => {
    const settings = env({ HEALING_LLM_MAX_CALLS_PER_RUN: "2" });
    const runId = await newRun();
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "a" }), { kind: "rate_limited" });
    expect(await createModelTier({ db: database.db, env: settings, log }).choose(question(runId))).toMatchObject({ kind: "declined" });
    // Another worker's tier (a retry attempt of the same run) sees the same budget.
    const other = createModelTier({ db: database.db, env: settings, log });
    expect(await other.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "rate_limited" });
    expect(await other.choose(question(runId))).toMatchObject({ kind: "unavailable", reason: "run_limit", requested: false, detail: expect.stringContaining("2 of its 2") as string });
    expect(fake.requests).toHaveLength(2);
    expect((await rowsFor(runId)).map((r) => r.outcome)).toEqual(["declined", "rate_limited", "skipped"]);
    // Another run has its own budget.
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "b" }));
    expect(await other.choose(question(await newRun()))).toMatchObject({ kind: "declined" });
    expect(fake.requests).toHaveLength(3);
  });

  it("lets only one of several workers racing for the last call of a run's budget make a request", async () => {
    const settings = env({ HEALING_LLM_MAX_CALLS_PER_RUN: "1" });
    const runId = await newRun();
    const workers = Array.from({ length: 6 }, () => createModelTier({ db: database.db, env: settings, log }));
    fake.script(...workers.map(() => choiceContent({ decision: "decline", candidate: null, reason: "raced" })));
    const answers = await Promise.all(workers.map((tier) => tier.choose(question(runId))));
    expect(answers.map((a) => (a.kind === "unavailable" ? a.reason : a.kind)).sort()).toEqual(["declined", ...Array<string>(5).fill("run_limit")]);
    expect(fake.requests).toHaveLength(1);
  });

  it("makes at most HEALING_LLM_DAILY_CALLS_PER_PORTAL requests per portal per UTC day; yesterday's do not count", async () => {
    const tier = createModelTier({ db: database.db, env: env({ HEALING_LLM_DAILY_CALLS_PER_PORTAL: "2" }), log });
    const yesterday = sql`date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' - interval '1 minute'`;
    await database.db.insert(llmCalls).values([1, 2, 3].map(() => ({ purpose: "heal" as const, oemId: "borealis", step: "old", provider: "openai-compatible", model: "m", outcome: "declined" as const, createdAt: yesterday as unknown as Date })));
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "a" }), choiceContent({ decision: "decline", candidate: null, reason: "b" }));
    const ask = async () => tier.choose(question(await newRun("borealis"), { oemId: "borealis" }));
    expect(await ask()).toMatchObject({ kind: "declined" });
    expect(await ask()).toMatchObject({ kind: "declined" });
    const refused = await ask();
    expect(refused).toMatchObject({ kind: "unavailable", reason: "daily_budget", detail: expect.stringContaining("portal borealis has made 2 of its 2") as string });
    expect(fake.requests).toHaveLength(2);
    const [row] = await database.db.select().from(llmCalls).where(eq(llmCalls.id, refused.callId!));
    expect(row).toMatchObject({ outcome: "skipped", response: { reason: "daily_budget" } });
    // Another portal's budget is untouched.
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "c" }));
    expect(await tier.choose(question(await newRun("corvid"), { oemId: "corvid" }))).toMatchObject({ kind: "declined" });
  });

  it("opens the breaker for a portal and step after 3 consecutive failures (a refused choice included), and closes it after 15 minutes", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    const step = question(runId);
    fake.script({ kind: "rate_limited" }, { kind: "content", content: "nope" }, choiceContent({ decision: "choose", candidate: 2, reason: "looks right" }));
    expect(await tier.choose(step)).toMatchObject({ reason: "rate_limited" });
    expect(await tier.choose(step)).toMatchObject({ reason: "malformed" });
    const chose = await tier.choose(step);
    expect(chose).toMatchObject({ kind: "chose", number: 2 });
    await tier.recordValidation(chose.callId!, false, "a destructive control");
    expect(fake.requests).toHaveLength(3);

    const blocked = await tier.choose(step);
    expect(blocked).toMatchObject({ kind: "unavailable", reason: "breaker_open", detail: expect.stringContaining("invalid, malformed, rate_limited") as string });
    expect(await tier.choose(step)).toMatchObject({ reason: "breaker_open" });
    expect(fake.requests).toHaveLength(3);
    // Another step of the same portal is not affected.
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "other step" }));
    expect(await tier.choose(question(runId))).toMatchObject({ kind: "declined" });
    expect(fake.requests).toHaveLength(4);

    // 15 minutes after the last failure one call goes through again.
    await database.db
      .update(llmCalls)
      .set({ createdAt: sql`created_at - ${`${BREAKER_OPEN_MS + 60_000} milliseconds`}::interval` })
      .where(and(eq(llmCalls.runId, runId), eq(llmCalls.step, step.step)));
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "back" }));
    expect(await tier.choose(step)).toMatchObject({ kind: "declined", reason: "back" });
    expect(fake.requests).toHaveLength(5);
  });

  it("answers the same question with the earlier validated answer and no request, until that answer fails validation", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    const same = question(runId);
    fake.script(choiceContent({ decision: "choose", candidate: 2, reason: "first submit" }));
    const first = await tier.choose(same);
    expect(first).toMatchObject({ kind: "chose", number: 2 });
    // Not validated yet: no memo.
    fake.script(choiceContent({ decision: "choose", candidate: 2, reason: "first submit again" }));
    const second = await tier.choose(same);
    await tier.recordValidation(second.callId!, true, "ok");
    expect(fake.requests).toHaveLength(2);

    const memo = await tier.choose({ ...same, runId: await newRun() });
    expect(memo).toMatchObject({ kind: "chose", number: 2, reason: "first submit again", costUsd: null, requested: false });
    expect(fake.requests).toHaveLength(2);
    const [memoRow] = await database.db.select().from(llmCalls).where(eq(llmCalls.id, memo.callId!));
    expect(memoRow).toMatchObject({ outcome: "memoised", choice: 2, response: { memoOf: second.callId } });

    // A changed page (other candidates) is another question.
    fake.script(choiceContent({ decision: "decline", candidate: null, reason: "changed" }));
    expect(await tier.choose({ ...same, candidates: CANDIDATES.slice(0, 3) })).toMatchObject({ kind: "declined" });
    expect(fake.requests).toHaveLength(3);

    // The memoised answer fails validation now: the next time the model is asked again.
    await tier.recordValidation(memo.callId!, false, "no longer visible");
    fake.script(choiceContent({ decision: "choose", candidate: 3, reason: "now the other" }));
    expect(await tier.choose(same)).toMatchObject({ kind: "chose", number: 3 });
    expect(fake.requests).toHaveLength(4);
  });

  it("makes no request when nothing can be offered", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    const runId = await newRun();
    const answer = await tier.choose(question(runId, { candidates: CANDIDATES.map((c) => ({ ...c, excluded: c.excluded ?? null, hasRecipe: false })) }));
    expect(answer).toMatchObject({ kind: "unavailable", reason: "no_candidates" });
    expect(fake.requests).toHaveLength(0);
    expect((await rowsFor(runId)).map((r) => r.outcome)).toEqual(["skipped"]);
  });
});

describe("configuration", () => {
  it("with HEALING_LLM=off constructs no model, is disabled, and never makes a request or writes a row", async () => {
    const off = env({ HEALING_LLM: "off" });
    expect(createLanguageModel(off)).toBeNull();
    const tier = createModelTier({ db: database.db, env: off, log });
    expect(tier.enabled).toBe(false);
    const runId = await newRun();
    expect(await tier.choose(question(runId))).toEqual({ kind: "unavailable", reason: "off", detail: "HEALING_LLM is off.", callId: null, requested: false });
    expect(fake.requests).toHaveLength(0);
    expect(await rowsFor(runId)).toEqual([]);
  });

  it("does not throw when its own bookkeeping fails (a portal unknown to the database): the tier is unavailable and nothing is asked", async () => {
    const tier = createModelTier({ db: database.db, env: env(), log });
    expect(await tier.choose(question(await newRun(), { oemId: "nowhere" }))).toMatchObject({ kind: "unavailable", reason: "error", callId: null });
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses an incomplete configuration with a sentence naming the variable", () => {
    const attempt = (overrides: Record<string, string>) => () => createModelTier({ db: database.db, env: env(overrides), log });
    expect(attempt({ HEALING_LLM_BASE_URL: "" })).toThrow(EnvError);
    expect(attempt({ HEALING_LLM_BASE_URL: "" })).toThrow(/HEALING_LLM_BASE_URL: must be set when HEALING_LLM=openai-compatible/);
    expect(attempt({ HEALING_LLM_MODEL: "" })).toThrow(/HEALING_LLM_MODEL: must be set when HEALING_LLM=openai-compatible/);
    expect(attempt({ HEALING_LLM: "anthropic", HEALING_LLM_BASE_URL: "", HEALING_LLM_MODEL: "claude-3-5-haiku-latest" })).toThrow(/HEALING_LLM_API_KEY: must be set when HEALING_LLM=anthropic/);
    expect(createModelTier({ db: database.db, env: env({ HEALING_LLM: "anthropic", HEALING_LLM_BASE_URL: "", HEALING_LLM_MODEL: "claude-3-5-haiku-latest", HEALING_LLM_API_KEY: "k" }), log }).enabled).toBe(true);
  });
});
