// The one place a language model is constructed and asked (issue 12: the model tier of healing and
// the steering of Run now in words). Provider-agnostic: OpenAI, Anthropic, or any server speaking
// OpenAI's chat-completions protocol (Ollama, vLLM, llama.cpp). With HEALING_LLM=off nothing is
// constructed, so no request can be made. Requests are never retried here: callers count every
// request (budgets, circuit breakers) and a hidden retry would defeat that.

import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText, NoObjectGeneratedError, NoOutputGeneratedError, Output, RetryError, type LanguageModel } from "ai";
import type { z } from "zod";
import { EnvError, type Env } from "@/lib/config/env";

export interface ConfiguredModel {
  /** The HEALING_LLM value: openai, anthropic or openai-compatible. */
  provider: string;
  modelId: string;
  model: LanguageModel;
}

/**
 * What is wrong with the HEALING_LLM* configuration, each a sentence naming the variable; empty when
 * it is usable (or off). `doctor` and `createLanguageModel` share it.
 */
export function languageModelConfigProblems(env: Env): string[] {
  if (env.HEALING_LLM === "off") return [];
  const problems: string[] = [];
  if (!env.HEALING_LLM_MODEL) problems.push(`HEALING_LLM_MODEL: must be set when HEALING_LLM=${env.HEALING_LLM} (the model id, e.g. ${exampleModel(env.HEALING_LLM)})`);
  if (env.HEALING_LLM === "openai-compatible" && !env.HEALING_LLM_BASE_URL) {
    problems.push("HEALING_LLM_BASE_URL: must be set when HEALING_LLM=openai-compatible (the server's OpenAI-style API root, e.g. http://127.0.0.1:11434/v1 for Ollama)");
  }
  if ((env.HEALING_LLM === "openai" || env.HEALING_LLM === "anthropic") && !env.HEALING_LLM_API_KEY && !env.HEALING_LLM_BASE_URL) {
    problems.push(`HEALING_LLM_API_KEY: must be set when HEALING_LLM=${env.HEALING_LLM} (the provider's API key)`);
  }
  return problems;
}

/**
 * The configured model, or null when HEALING_LLM=off (then nothing is constructed). Throws
 * `EnvError` when the configuration is incomplete.
 */
export function createLanguageModel(env: Env): ConfiguredModel | null {
  if (env.HEALING_LLM === "off") return null;
  const problems = languageModelConfigProblems(env);
  if (problems.length > 0) throw new EnvError(problems);
  const modelId = env.HEALING_LLM_MODEL!;
  const baseURL = env.HEALING_LLM_BASE_URL?.replace(/\/+$/, "");
  // A gateway at a base URL may need no key; the SDKs would otherwise look for OPENAI_API_KEY etc.
  const apiKey = env.HEALING_LLM_API_KEY ?? (baseURL ? "unused" : undefined);
  switch (env.HEALING_LLM) {
    case "openai":
      // Chat completions (not the Responses API): the protocol every OpenAI-style gateway also speaks.
      return { provider: "openai", modelId, model: createOpenAI({ apiKey, ...(baseURL ? { baseURL } : {}) }).chat(modelId) };
    case "anthropic":
      return { provider: "anthropic", modelId, model: createAnthropic({ apiKey, ...(baseURL ? { baseURL } : {}) })(modelId) };
    case "openai-compatible":
      return {
        provider: "openai-compatible",
        modelId,
        model: createOpenAICompatible({
          name: "openai-compatible",
          baseURL: baseURL!,
          ...(env.HEALING_LLM_API_KEY ? { apiKey: env.HEALING_LLM_API_KEY } : {}),
          // response_format json_schema: Ollama (0.5+), vLLM and llama.cpp's server all honour it.
          supportsStructuredOutputs: true,
          includeUsage: true,
        }).chatModel(modelId),
      };
  }
}

function exampleModel(provider: Env["HEALING_LLM"]): string {
  if (provider === "anthropic") return "claude-3-5-haiku-latest";
  if (provider === "openai-compatible") return "qwen2.5:7b-instruct";
  return "gpt-4o-mini";
}

export type StructuredFailure = "rate_limited" | "timeout" | "malformed" | "error";

export type StructuredResult<T> =
  | { ok: true; value: T; usage: { inputTokens: number | null; outputTokens: number | null }; latencyMs: number }
  | { ok: false; reason: StructuredFailure; detail: string; latencyMs: number; usage: { inputTokens: number | null; outputTokens: number | null } | null };

/**
 * One request for a JSON object matching `schema`: temperature 0, no retries, bounded by
 * `timeoutMs`. Never throws: a failure is classified (429 → rate_limited; abort/timeout → timeout;
 * unparseable or schema-violating output → malformed; anything else → error) with a one-line detail.
 */
export async function generateStructured<T>(input: {
  model: LanguageModel;
  schema: z.ZodType<T>;
  system: string;
  prompt: string;
  timeoutMs: number;
  maxOutputTokens?: number;
}): Promise<StructuredResult<T>> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(input.timeoutMs);
  try {
    const result = await generateText({
      model: input.model,
      system: input.system,
      prompt: input.prompt,
      output: Output.object({ schema: input.schema }),
      temperature: 0,
      maxRetries: 0,
      maxOutputTokens: input.maxOutputTokens ?? 400,
      abortSignal: signal,
    });
    const value = result.output;
    return { ok: true, value, usage: { inputTokens: result.usage.inputTokens ?? null, outputTokens: result.usage.outputTokens ?? null }, latencyMs: elapsed() };
  } catch (error) {
    const { reason, detail, usage } = classify(error, signal, input.timeoutMs);
    return { ok: false, reason, detail, latencyMs: elapsed(), usage };
  }
}

function classify(error: unknown, signal: AbortSignal, timeoutMs: number): { reason: StructuredFailure; detail: string; usage: { inputTokens: number | null; outputTokens: number | null } | null } {
  const inner = RetryError.isInstance(error) ? error.lastError : error;
  if (signal.aborted || isAbort(inner)) return { reason: "timeout", detail: `no answer within ${timeoutMs} ms`, usage: null };
  if (APICallError.isInstance(inner)) {
    if (inner.statusCode === 429) return { reason: "rate_limited", detail: `the provider is rate limiting (HTTP 429): ${oneLine(inner.message)}`, usage: null };
    if (isAbort(inner.cause)) return { reason: "timeout", detail: `no answer within ${timeoutMs} ms`, usage: null };
    return { reason: "error", detail: `the provider answered ${inner.statusCode ? `HTTP ${inner.statusCode}` : "with an error"}: ${oneLine(inner.message)}`, usage: null };
  }
  if (NoObjectGeneratedError.isInstance(inner)) {
    const usage = inner.usage ? { inputTokens: inner.usage.inputTokens ?? null, outputTokens: inner.usage.outputTokens ?? null } : null;
    return { reason: "malformed", detail: `the answer is not the requested JSON: ${oneLine(inner.cause instanceof Error ? inner.cause.message : inner.message)}${inner.text ? ` (got: ${oneLine(inner.text).slice(0, 200)})` : ""}`, usage };
  }
  if (NoOutputGeneratedError.isInstance(inner)) return { reason: "malformed", detail: `the model produced no answer: ${oneLine(inner.message)}`, usage: null };
  return { reason: "error", detail: oneLine(inner instanceof Error ? inner.message : String(inner)), usage: null };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 500);
}
