// Sandbox CRM REST API under /crm/api: bearer auth, cases, idempotent write-backs, notes,
// attachment PDF. Fault knobs act before any effect.

import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestContext, Router } from "../http.js";
import { HttpError, readJson, sendJson, sleep } from "../http.js";
import type { SandboxRuntime } from "../context.js";
import { OEMS } from "../domain.js";
import { describeZodError } from "../faults.js";
import { chance } from "../random.js";
import type { CrmCase, CrmWriteOutcome } from "../state.js";
import { buildCase, createCaseSchema, createNoteSchema, patchCaseSchema } from "./cases.js";
import { buildPdf } from "./pdf.js";

const PREFIX = "/crm/api";

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function isWrite(method: string): boolean {
  return method === "POST" || method === "PATCH" || method === "PUT" || method === "DELETE";
}

function caseIdFromPath(pathname: string): string | null {
  const m = /^\/crm\/api\/cases\/([^/]+)/.exec(pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m?.[1]) return false;
  const a = Buffer.from(m[1].trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Sorted-key JSON so logically equal bodies fingerprint the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs the CRM faults and auth for every /crm/api request. Returns false when the request was
 * already answered (or is hanging), true when the route may proceed.
 */
export async function crmGate(rt: SandboxRuntime, ctx: RequestContext): Promise<boolean> {
  const { req, res, url, method } = ctx;
  const faults = rt.faults.crm;
  const record = (status: number, outcome: CrmWriteOutcome): void => {
    if (!isWrite(method)) return;
    rt.state.recordWrite({
      method,
      path: url.pathname,
      caseId: caseIdFromPath(url.pathname),
      idempotencyKey: headerValue(ctx, "idempotency-key"),
      body: null,
      status,
      outcome,
      tookEffect: false,
    });
  };
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
  if (chance(rt.random, faults.hangRate)) {
    record(0, "fault");
    await rt.hang(req, res);
    return false;
  }
  if (chance(rt.random, faults.error429Rate)) {
    record(429, "fault");
    sendJson(res, 429, errorBody("rate_limited", "Too many requests; retry after 1 second"), { "retry-after": "1" });
    return false;
  }
  if (chance(rt.random, faults.error500Rate)) {
    record(500, "fault");
    sendJson(res, 500, errorBody("internal_error", "The CRM encountered an internal error"));
    return false;
  }
  if (!tokenMatches(req.headers.authorization, rt.options.crmToken)) {
    record(401, "unauthorized");
    sendJson(res, 401, errorBody("unauthorized", "Missing or invalid bearer token"), { "www-authenticate": "Bearer" });
    return false;
  }
  return true;
}

function headerValue(ctx: RequestContext, name: string): string | null {
  const v = ctx.req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : null;
}

interface WriteResult {
  status: number;
  body: unknown;
  outcome: CrmWriteOutcome;
}

/**
 * Idempotent write wrapper. Same key + same request → the stored response, no second effect;
 * same key + different request → 409. Only successful (2xx) results are stored, so a request
 * that failed validation may be retried with the same key.
 */
async function idempotentWrite(
  rt: SandboxRuntime,
  ctx: RequestContext,
  opts: { keyRequired: boolean; caseId: string | null },
  perform: (body: unknown) => WriteResult,
): Promise<void> {
  const { res, url, method } = ctx;
  const key = headerValue(ctx, "idempotency-key");
  let body: unknown = null;
  const finish = (result: WriteResult, headers: Record<string, string> = {}): void => {
    rt.state.recordWrite({
      method,
      path: url.pathname,
      caseId: opts.caseId,
      idempotencyKey: key,
      body,
      status: result.status,
      outcome: result.outcome,
      tookEffect: result.outcome === "applied",
    });
    sendJson(res, result.status, result.body, headers);
  };
  try {
    body = await readJson(ctx.req);
  } catch (error) {
    if (error instanceof HttpError) return finish({ status: error.status, body: errorBody(error.code, error.message), outcome: "invalid" });
    throw error;
  }
  if (key !== null && key.length > 255) {
    return finish({ status: 400, body: errorBody("invalid_idempotency_key", "Idempotency-Key must be at most 255 characters"), outcome: "invalid" });
  }
  if (key === null && opts.keyRequired) {
    return finish({ status: 400, body: errorBody("idempotency_key_required", "The Idempotency-Key header is required for this request"), outcome: "invalid" });
  }
  const fingerprint = createHash("sha256").update(`${method} ${url.pathname}\n${canonicalJson(body)}`).digest("hex");
  if (key !== null) {
    const existing = rt.state.idempotency.get(key);
    if (existing) {
      if (existing.fingerprint === fingerprint) {
        return finish({ status: existing.status, body: existing.body, outcome: "replayed" }, { "idempotent-replayed": "true" });
      }
      return finish({
        status: 409,
        body: errorBody("idempotency_key_reused", "This Idempotency-Key was already used with a different request"),
        outcome: "conflict",
      });
    }
  }
  const result = perform(body);
  if (key !== null && result.outcome === "applied") {
    rt.state.idempotency.set(key, { key, fingerprint, status: result.status, body: result.body, createdAt: new Date().toISOString() });
  }
  if (result.outcome === "applied") rt.persist();
  finish(result);
}

function encodeCursor(c: CrmCase): string {
  return Buffer.from(`${c.updatedAt}|${c.id}`).toString("base64url");
}

function compareCases(a: CrmCase, b: CrmCase): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function registerCrmApi(router: Router, rt: SandboxRuntime): void {
  // List cases, oldest change first: ?updatedSince=ISO (inclusive) &limit=1..500 &cursor= &status= &oem=
  router.get(`${PREFIX}/cases`, ({ res, url }) => {
    const q = url.searchParams;
    const since = q.get("updatedSince");
    if (since !== null && Number.isNaN(Date.parse(since))) {
      return sendJson(res, 400, errorBody("invalid_query", "updatedSince must be an ISO 8601 timestamp"));
    }
    const limitText = q.get("limit") ?? "100";
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return sendJson(res, 400, errorBody("invalid_query", "limit must be an integer between 1 and 500"));
    }
    let after: { updatedAt: string; id: string } | null = null;
    const cursor = q.get("cursor");
    if (cursor) {
      const [updatedAt, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
      if (!updatedAt || !id) return sendJson(res, 400, errorBody("invalid_query", "cursor is malformed"));
      after = { updatedAt, id };
    }
    const sinceMs = since === null ? null : Date.parse(since);
    const status = q.get("status");
    const oem = q.get("oem");
    const all = [...rt.state.cases.values()]
      .filter((c) => sinceMs === null || Date.parse(c.updatedAt) >= sinceMs)
      .filter((c) => status === null || c.status === status)
      .filter((c) => oem === null || c.oem === oem)
      .sort(compareCases)
      .filter((c) => after === null || c.updatedAt > after.updatedAt || (c.updatedAt === after.updatedAt && c.id > after.id));
    const page = all.slice(0, limit);
    const last = page[page.length - 1];
    sendJson(res, 200, { cases: page, nextCursor: all.length > limit && last ? encodeCursor(last) : null });
  });

  // Create a case (Idempotency-Key optional). Emits case.created.
  router.post(`${PREFIX}/cases`, async (ctx) => {
    await idempotentWrite(rt, ctx, { keyRequired: false, caseId: null }, (body) => {
      const parsed = createCaseSchema.safeParse(body);
      if (!parsed.success) {
        return { status: 400, body: errorBody("invalid_case", describeZodError(parsed.error)), outcome: "invalid" };
      }
      const created = buildCase(rt.state, parsed.data, rt.random);
      rt.state.cases.set(created.id, created);
      registerCorvidUnit(rt, created);
      rt.webhooks.emit("case.created", created.id);
      return { status: 201, body: created, outcome: "applied" };
    });
  });

  router.get(`${PREFIX}/cases/:id`, ({ res, params }) => {
    const found = rt.state.cases.get(params.id ?? "");
    if (!found) return sendJson(res, 404, errorBody("not_found", `No case ${params.id ?? ""}`));
    sendJson(res, 200, found);
  });

  // Status write-back from Nightshift. Idempotency-Key required. Never emits a webhook.
  router.add("PATCH", `${PREFIX}/cases/:id`, async (ctx) => {
    const id = ctx.params.id ?? "";
    await idempotentWrite(rt, ctx, { keyRequired: true, caseId: id }, (body) => {
      const parsed = patchCaseSchema.safeParse(body);
      if (!parsed.success) return { status: 400, body: errorBody("invalid_patch", describeZodError(parsed.error)), outcome: "invalid" };
      const target = rt.state.cases.get(id);
      if (!target) return { status: 404, body: errorBody("not_found", `No case ${id}`), outcome: "not_found" };
      target.status = parsed.data.status;
      if (parsed.data.confirmationNumber !== undefined) target.confirmationNumber = parsed.data.confirmationNumber;
      if (parsed.data.message !== undefined) target.statusMessage = parsed.data.message;
      target.updatedAt = new Date().toISOString();
      return { status: 200, body: structuredClone(target), outcome: "applied" };
    });
  });

  // Add a note (Idempotency-Key required). Never emits a webhook.
  router.post(`${PREFIX}/cases/:id/notes`, async (ctx) => {
    const id = ctx.params.id ?? "";
    await idempotentWrite(rt, ctx, { keyRequired: true, caseId: id }, (body) => {
      const parsed = createNoteSchema.safeParse(body);
      if (!parsed.success) return { status: 400, body: errorBody("invalid_note", describeZodError(parsed.error)), outcome: "invalid" };
      const target = rt.state.cases.get(id);
      if (!target) return { status: 404, body: errorBody("not_found", `No case ${id}`), outcome: "not_found" };
      const now = new Date().toISOString();
      const note = { id: `NOTE-${target.notes.length + 1}-${target.id}`, body: parsed.data.body, kind: parsed.data.kind ?? "comment", createdAt: now };
      target.notes.push(note);
      target.updatedAt = now;
      return { status: 201, body: note, outcome: "applied" };
    });
  });

  // The case's supporting document (used by the Borealis upload step).
  router.get(`${PREFIX}/cases/:id/attachment.pdf`, ({ res, params }) => {
    const found = rt.state.cases.get(params.id ?? "");
    if (!found) return sendJson(res, 404, errorBody("not_found", `No case ${params.id ?? ""}`));
    const pdf = buildPdf([
      `Supporting document - ${found.reference}`,
      `CRM case: ${found.id}`,
      `OEM: ${OEMS[found.oem].name}`,
      `Kind: ${found.kind}`,
      `Unit: ${found.unit.id} (${found.unit.model})`,
      `Incident date: ${found.incidentDate}`,
      "Generated by the Nightshift sandbox CRM.",
    ]);
    res.writeHead(200, {
      "content-type": "application/pdf",
      "content-length": pdf.length,
      "content-disposition": `attachment; filename="${found.reference}.pdf"`,
    });
    res.end(pdf);
  });
}

/** The Corvid portal knows the instruments the CRM knows (when the id is well-formed). */
export function registerCorvidUnit(rt: SandboxRuntime, c: CrmCase): void {
  if (c.oem !== "corvid" || !OEMS.corvid.unitPattern.test(c.unit.id) || rt.state.corvidUnits.has(c.unit.id)) return;
  rt.state.corvidUnits.set(c.unit.id, { id: c.unit.id, model: c.unit.model, site: "Customer site", installedOn: "2023-03-01" });
}
