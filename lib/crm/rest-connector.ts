import { z } from "zod";
import { CrmError, type CrmConnector } from "./connector";
import { crmCaseSchema, type CrmCase, type CrmNote, type CrmStatusUpdate } from "./types";

export interface RestCrmOptions {
  /** e.g. https://crm.example.com/api or the sandbox's http://127.0.0.1:4010/crm/api */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

const listSchema = z.object({ cases: z.array(crmCaseSchema), nextCursor: z.string().nullable().optional() });

/** A REST CRM speaking JSON with bearer auth and Idempotency-Key on writes (the sandbox CRM's protocol). */
export class RestCrmConnector implements CrmConnector {
  private readonly baseUrl: string;
  constructor(private readonly options: RestCrmOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
  }

  async fetchCase(crmId: string): Promise<CrmCase | null> {
    const response = await this.request("GET", `/cases/${encodeURIComponent(crmId)}`, { allow404: true });
    if (!response) return null;
    return parse(crmCaseSchema, await response.json(), "case");
  }

  async listChangedCases(params: { since: Date | null; limit: number; cursor?: string | null }) {
    const query = new URLSearchParams({ limit: String(params.limit) });
    if (params.since) query.set("updatedSince", params.since.toISOString());
    if (params.cursor) query.set("cursor", params.cursor);
    const response = await this.request("GET", `/cases?${query.toString()}`);
    const page = parse(listSchema, await response!.json(), "case list");
    return { cases: page.cases, nextCursor: page.nextCursor ?? null };
  }

  async fetchAttachment(crmId: string) {
    const response = await this.request("GET", `/cases/${encodeURIComponent(crmId)}/attachment.pdf`);
    return { fileName: `${crmId}.pdf`, contentType: response!.headers.get("content-type") ?? "application/pdf", body: Buffer.from(await response!.arrayBuffer()) };
  }

  async updateStatus(crmId: string, update: CrmStatusUpdate, idempotencyKey: string): Promise<void> {
    await this.request("PATCH", `/cases/${encodeURIComponent(crmId)}`, { body: update, idempotencyKey });
  }

  async addNote(crmId: string, note: CrmNote, idempotencyKey: string): Promise<void> {
    await this.request("POST", `/cases/${encodeURIComponent(crmId)}/notes`, { body: note, idempotencyKey });
  }

  private async request(method: string, path: string, options: { body?: unknown; idempotencyKey?: string; allow404?: boolean } = {}): Promise<Response | null> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      // Never include the URL's credentials or headers in the message.
      throw new CrmError(timedOut ? `The CRM did not answer ${method} ${path} in time.` : `The CRM could not be reached (${method} ${path}).`, null, true);
    }
    if (response.ok) return response;
    if (response.status === 404 && options.allow404) return null;
    const detail = await readErrorMessage(response);
    const retryable = response.status === 429 || response.status >= 500 || response.status === 408;
    throw new CrmError(`The CRM answered ${response.status} to ${method} ${path}${detail ? `: ${detail}` : ""}`, response.status, retryable, parseRetryAfter(response.headers.get("retry-after")));
  }
}

async function readErrorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === "string" ? body.error.message.slice(0, 300) : "";
  } catch {
    return "";
  }
}

/** Retry-After in seconds or as an HTTP date → milliseconds. */
function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CrmError(`The CRM returned an unexpected ${what}: ${result.error.issues[0]?.message ?? "invalid"}`, null, false);
  return result.data;
}
