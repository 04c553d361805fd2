import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { batches, cases, heals, llmCalls, runs } from "@/drizzle/schema";
import { captureFingerprint } from "@/jobs/automation/healing";
import { HealingSession, type ActionTarget, type ModelTierPort } from "@/jobs/automation/healing/session";
import { parseEnv, type Env } from "@/lib/config/env";
import type { ElementFingerprint } from "@/lib/healing";
import { createModelTier } from "@/lib/healing/model-tier";
import { stripValues } from "@/lib/healing/page-state";
import { createLogger } from "@/lib/log";
import { syncOems } from "@/lib/oems/catalog";
import { AwaitingApprovalError, TargetMissError } from "@/lib/runs/errors";
import { createTestDatabase, type TestDatabase } from "@/test/support/database";
import { choiceContent, startFakeOpenAI, type FakeOpenAI } from "@/test/support/fake-openai";
import { trackResource } from "@/test/support/resources";
import { until } from "@/test/support/until";
import * as fixtures from "./fixtures";

// The model tier inside a real HealingSession on real Chromium: where the deterministic scorer
// cannot tell two look-alike submit buttons apart, the (fake) model's choice is used — and the
// session, not the model, decides whether it may be: a destructive button or an element that is
// gone by the time the answer arrives is refused.

const log = createLogger({ level: "silent", format: "json" });
const SUBMIT: ActionTarget = { id: "arden.claim.submit", name: "Submit", intent: "the button that files the warranty claim", kind: "button", reversible: false, primary: "#submit-claim" };

let database: TestDatabase;
let fake: FakeOpenAI;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let untrack: () => void;
let before: { fingerprint: ElementFingerprint; scopeAria: string };

function env(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    DATABASE_URL: database.url,
    NIGHTSHIFT_SECRET_KEY: randomBytes(32).toString("base64"),
    HEALING_LLM: "openai-compatible",
    HEALING_LLM_MODEL: "qwen2.5:7b-instruct",
    HEALING_LLM_BASE_URL: fake.baseUrl,
    HEALING_LLM_TIMEOUT_MS: "3000",
    HEALING_LLM_PRICE_PER_MTOK: "0.15,0.6",
    ...overrides,
  });
}

let counter = 0;
async function newRun(): Promise<string> {
  counter += 1;
  const [batch] = await database.db.insert(batches).values({ trigger: "manual", status: "running", startedAt: new Date(), deadline: new Date(Date.now() + 3_600_000), caseCount: 1 }).returning({ id: batches.id });
  const [kase] = await database.db.insert(cases).values({ crmId: `crm-llm-s-${counter}`, reference: `NS-LLM-S-${counter}`, oemId: "arden", kind: "warranty_claim", crmStatus: "open" }).returning({ id: cases.id });
  const [run] = await database.db.insert(runs).values({ caseId: kase!.id, batchId: batch!.id, status: "running" }).returning({ id: runs.id });
  return run!.id;
}

function session(runId: string, modelTier: ModelTierPort): HealingSession {
  const baseline = { targetId: SUBMIT.id, step: "claim", fingerprint: before.fingerprint, pageFingerprint: "before", scopeAria: before.scopeAria, runId: null };
  const healing = new HealingSession(page, {
    db: database.db,
    log,
    oemId: "arden",
    adapterVersion: "arden@test",
    runId,
    attemptId: null,
    state: { baselines: new Map([[SUBMIT.id, baseline]]), cache: new Map() },
    modelTier,
    saveScreenshot: () => Promise.resolve(null),
    dryRun: false,
  });
  healing.step = "claim";
  return healing;
}

const events = () => page.evaluate(() => (window as unknown as { __events: string[] }).__events);
const callsOf = (runId: string) => database.db.select().from(llmCalls).where(eq(llmCalls.runId, runId)).orderBy(llmCalls.createdAt);

beforeAll(async () => {
  database = await createTestDatabase();
  await syncOems(database.db, { portalUrls: {} });
  fake = await startFakeOpenAI();
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
  untrack = trackResource("chromium");
  const first = await browser.newPage();
  await first.setContent(fixtures.CLAIM_FORM);
  before = { fingerprint: await captureFingerprint(first.locator("#submit-claim")), scopeAria: stripValues(await first.locator("body").ariaSnapshot()) };
  await first.close();
});

afterAll(async () => {
  await browser?.close();
  untrack?.();
  await fake?.close();
  await database?.destroy();
});

beforeEach(async () => {
  fake.reset();
  // Each test asks afresh (the same page would otherwise get the memoised answer).
  await database.db.delete(llmCalls);
  context = await browser.newContext();
  page = await context.newPage();
  await page.setContent(fixtures.LOOKALIKES_AND_WITHDRAW);
});

afterEach(async () => {
  await context.close();
});

describe("the model tier in a healing session", () => {
  it("uses the model's choice between two look-alike submit buttons, and files the heal as proposed by the model with its cost", async () => {
    const runId = await newRun();
    const healing = session(runId, createModelTier({ db: database.db, env: env(), log }));
    fake.script(choiceContent({ decision: "choose", candidate: 3, reason: "the second Submit claim button" }));
    const locator = await healing.resolve(SUBMIT);
    expect(fake.requests).toHaveLength(1);
    const prompt = (fake.requests[0]!.body as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === "user")!.content;
    expect(prompt).toMatch(/^2\. button "Submit claim"/m);
    expect(prompt).toMatch(/^3\. button "Submit claim" · id=second-submit/m);
    expect(prompt).not.toMatch(/^\d+\. .*Withdraw claim/m);
    expect(healing.report).toMatchObject({ healed: 1, healedByModel: 1, llmCalls: 1 });

    const [call] = await callsOf(runId);
    expect(call).toMatchObject({ outcome: "chose", choice: 3, response: { validation: { ok: true } } });

    // The final submit is held for approval; the heal says who proposed it and what it cost.
    await expect(healing.gate()).rejects.toBeInstanceOf(AwaitingApprovalError);
    const [heal] = await database.db.select().from(heals).where(eq(heals.id, healing.report.healId!));
    expect(heal).toMatchObject({ proposedBy: "model", status: "proposed" });
    expect(heal!.costUsd).toBeCloseTo((1200 * 0.15 + 40 * 0.6) / 1e6, 9);
    expect(heal!.changes[0]).toMatchObject({ kind: "target", proposedBy: "model", recipe: { strategy: "role", role: "button", name: "Submit claim", nth: 1 }, model: { provider: "openai-compatible", model: "qwen2.5:7b-instruct", callId: call!.id } });

    // It is the button the model named.
    await locator.click();
    expect(await events()).toEqual(["submit 2", "submitted"]);

    // The next run on the same page gets the validated answer again, without a request.
    await page.setContent(fixtures.LOOKALIKES_AND_WITHDRAW);
    const nextRun = await newRun();
    const next = session(nextRun, createModelTier({ db: database.db, env: env(), log }));
    await (await next.resolve(SUBMIT)).click();
    expect(await events()).toEqual(["submit 2", "submitted"]);
    expect(fake.requests).toHaveLength(1);
    expect(next.report.healedByModel).toBe(1);
    expect((await callsOf(nextRun)).map((c) => [c.outcome, c.choice])).toEqual([["memoised", 3]]);
  });

  it("refuses the model's choice of the destructive Withdraw button (never offered), and the portal counts as changed", async () => {
    const runId = await newRun();
    const healing = session(runId, createModelTier({ db: database.db, env: env(), log }));
    fake.script(choiceContent({ decision: "choose", candidate: 4, reason: "withdraw looks like the action" }));
    await expect(healing.resolve(SUBMIT)).rejects.toBeInstanceOf(TargetMissError);
    expect(fake.requests).toHaveLength(1);
    expect(healing.report).toMatchObject({ healed: 0, healedByModel: 0, misses: 1 });
    expect((await callsOf(runId)).map((c) => c.outcome)).toEqual(["malformed"]);
    expect(await events()).toEqual([]);
  });

  it("refuses a choice that no longer holds on the live page (the button is gone when the answer arrives)", async () => {
    const runId = await newRun();
    const healing = session(runId, createModelTier({ db: database.db, env: env(), log }));
    fake.script({ kind: "delay", ms: 600, content: JSON.stringify({ decision: "choose", candidate: 3, reason: "the second one" }) });
    const resolving = healing.resolve(SUBMIT);
    const outcome = resolving.then(
      () => "resolved",
      (error: unknown) => error,
    );
    await until(() => fake.requests.length === 1, 10_000, { intervalMs: 20 });
    await page.evaluate(() => document.getElementById("second-submit")?.remove());
    expect(await outcome).toBeInstanceOf(TargetMissError);
    const [call] = await callsOf(runId);
    expect(call).toMatchObject({ outcome: "invalid", choice: 3, response: { validation: { ok: false } } });
    expect(healing.report.healedByModel).toBe(0);
    expect(await events()).toEqual([]);
  });

  it("with HEALING_LLM=off asks nothing: the ambiguous target is a site change", async () => {
    const runId = await newRun();
    const healing = session(runId, createModelTier({ db: database.db, env: env({ HEALING_LLM: "off" }), log }));
    await expect(healing.resolve(SUBMIT)).rejects.toThrow(/The portal changed: Submit \(arden\.claim\.submit\) — No candidate wins clearly/);
    expect(fake.requests).toHaveLength(0);
    expect(healing.report.llmCalls).toBe(0);
    expect(await callsOf(runId)).toEqual([]);
  });
});
