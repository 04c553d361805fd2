// A fake of OpenAI's chat-completions API over real HTTP (node:http, port 0), for the model tier's
// tests: both @ai-sdk/openai's `.chat(model)` and @ai-sdk/openai-compatible speak to it as they
// would to OpenAI, Ollama or vLLM. Each request takes the next scripted reply (content, a 429 with
// OpenAI's error body, a server error, or a delay past the caller's timeout); every request is
// recorded, so a test can prove that none was made. It also answers Anthropic's messages API
// (POST /v1/messages, for @ai-sdk/anthropic) from the same script.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { trackResource } from "./resources";

export type FakeReply =
  /** 200 with this assistant message content (JSON text for structured output). */
  | { kind: "content"; content: string; inputTokens?: number; outputTokens?: number }
  /** 429 Too Many Requests with OpenAI's error body. */
  | { kind: "rate_limited" }
  /** This HTTP status with OpenAI's error body. */
  | { kind: "status"; status: number; message?: string }
  /** Answers `content` only after `ms` (longer than the caller's timeout: it gives up first). */
  | { kind: "delay"; ms: number; content?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (model, messages, response_format, temperature…). */
  body: Record<string, unknown>;
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>/v1` — the base URL both providers take. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queue replies for the next requests (a request with nothing queued gets HTTP 500). */
  script(...replies: FakeReply[]): void;
  /** Replies queued and not used yet. */
  pending(): number;
  /** Forgets the recorded requests and the unused replies. */
  reset(): void;
  close(): Promise<void>;
}

/** The JSON a structured answer of the model tier carries (a convenience for tests). */
export function choiceContent(answer: { decision: "choose" | "decline"; candidate: number | null; reason: string }): FakeReply {
  return { kind: "content", content: JSON.stringify(answer), inputTokens: 1200, outputTokens: 40 };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(String(error), "server_error"));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      sendJson(res, 400, errorBody("We could not parse the JSON body of your request.", "invalid_request_error"));
      return;
    }
    requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
    const path = (req.url ?? "").replace(/\?.*$/, "");
    if (req.method === "POST" && path.endsWith("/messages")) {
      answerAnthropic(res, body);
      return;
    }
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      sendJson(res, 404, errorBody(`Unknown request URL: ${req.method} ${req.url}.`, "invalid_request_error"));
      return;
    }
    const reply = queue.shift();
    if (!reply) {
      sendJson(res, 500, errorBody("The fake has no scripted reply for this request.", "server_error"));
      return;
    }
    const model = typeof body.model === "string" ? body.model : "fake-model";
    switch (reply.kind) {
      case "content":
        sendJson(res, 200, completion(model, reply.content, reply.inputTokens ?? 1000, reply.outputTokens ?? 30));
        return;
      case "rate_limited":
        res.setHeader("retry-after", "20");
        sendJson(res, 429, { error: { message: "Rate limit reached for requests. Please try again in 20s.", type: "requests", param: null, code: "rate_limit_exceeded" } });
        return;
      case "status":
        sendJson(res, reply.status, errorBody(reply.message ?? `The server had an error (HTTP ${reply.status}).`, "server_error"));
        return;
      case "delay": {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) sendJson(res, 200, completion(model, reply.content ?? '{"decision":"decline","candidate":null,"reason":"late"}', 1000, 30));
        }, reply.ms);
        timers.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
    }
  }

  /** Anthropic's messages API: the structured answer as the `json` tool's input when tools were offered, else as text. */
  function answerAnthropic(res: ServerResponse, body: Record<string, unknown>): void {
    const reply = queue.shift();
    const model = typeof body.model === "string" ? body.model : "fake-model";
    const anthropicError = (status: number, type: string, message: string) => sendJson(res, status, { type: "error", error: { type, message } });
    if (!reply) return anthropicError(500, "api_error", "The fake has no scripted reply for this request.");
    if (reply.kind === "rate_limited") return anthropicError(429, "rate_limit_error", "Number of requests has exceeded your rate limit.");
    if (reply.kind === "status") return anthropicError(reply.status, "api_error", reply.message ?? `HTTP ${reply.status}`);
    if (reply.kind === "delay") return anthropicError(500, "api_error", "The fake delays chat completions only.");
    sequence += 1;
    const tools = Array.isArray(body.tools) ? (body.tools as Array<{ name?: string }>) : [];
    let input: unknown = null;
    try {
      input = JSON.parse(reply.content);
    } catch {
      input = null;
    }
    const content =
      tools.some((t) => t.name === "json") && input !== null
        ? [{ type: "tool_use", id: `toolu_fake_${sequence}`, name: "json", input }]
        : [{ type: "text", text: reply.content }];
    sendJson(res, 200, {
      id: `msg_fake_${sequence}`,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: content[0]!.type === "tool_use" ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: { input_tokens: reply.inputTokens ?? 1000, output_tokens: reply.outputTokens ?? 30 },
    });
  }

  function completion(model: string, content: string, inputTokens: number, outputTokens: number) {
    sequence += 1;
    return {
      id: `chatcmpl-fake-${sequence}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      system_fingerprint: "fp_fake",
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const release = trackResource("fake OpenAI server");
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    pending: () => queue.length,
    reset: () => {
      requests.length = 0;
      queue.length = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      release();
    },
  };
}

function errorBody(message: string, type: string) {
  return { error: { message, type, param: null, code: null } };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
