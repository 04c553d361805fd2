import pino from "pino";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { ActorResolver } from "@/lib/auth/resolve-actor";
import { hasRole, ROLES } from "@/lib/auth/roles";
import { APP_ERROR_CODES, APP_ERROR_STATUS, AppError } from "@/lib/errors/app-error";
import { createRouteFactory, type RawParams } from "@/lib/http/route";
import { NO_ORIGIN_MESSAGE } from "@/lib/http/same-origin";

/** The route wrapper in-process, with real Request objects: no server, no database. */
const logged: Array<Record<string, unknown>> = [];
const log = pino({ level: "error" }, { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) });

const ADMIN = { id: "ada@example.com", userId: "u-ada", name: "Ada", role: "admin" as const };
function factory(options: { resolveActor?: ActorResolver; deps?: () => { greeting: string }; readOnly?: () => boolean } = {}) {
  return createRouteFactory({ deps: options.deps ?? (() => ({ greeting: "hello" })), resolveActor: options.resolveActor ?? (() => Promise.resolve(ADMIN)), readOnly: options.readOnly, log: () => log });
}
const route = factory();

const URL_BASE = "http://127.0.0.1:3000";
function post(path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  return new Request(`${URL_BASE}${path}`, { method: "POST", body: init.body, headers: { host: "127.0.0.1:3000", ...init.headers } });
}
const ctx = (params: RawParams = {}) => ({ params: Promise.resolve(params) });
async function errorOf(response: Response) {
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("AppError", () => {
  it("maps every code to one HTTP status", () => {
    expect(Object.keys(APP_ERROR_STATUS).sort()).toEqual([...APP_ERROR_CODES].sort());
    expect(new AppError("conflict", "x").status).toBe(409);
    expect(APP_ERROR_STATUS).toMatchObject({ bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, payload_too_large: 413, unprocessable: 422, unavailable: 503, internal: 500 });
  });
});

describe("error mapping", () => {
  it.each(APP_ERROR_CODES)("answers an AppError %s with its status and the one error shape", async (code) => {
    const handler = route({ name: "GET /t", access: "public" }, () => {
      throw new AppError(code, `refused: ${code}`);
    });
    expect(await errorOf(await handler(new Request(`${URL_BASE}/t`), ctx()))).toEqual({ status: APP_ERROR_STATUS[code], body: { error: { code, message: `refused: ${code}` } } });
  });

  it("logs an unexpected error with the route and answers a plain sentence, never the stack", async () => {
    logged.length = 0;
    const handler = route({ name: "GET /boom", access: "public" }, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
    });
    const response = await handler(new Request(`${URL_BASE}/boom?x=1`), ctx());
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: "Something went wrong on our side; it has been logged." } });
    expect(text).not.toContain("secretColumn");
    expect(text).not.toContain("at ");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ route: "GET /boom", method: "GET", path: "/boom", msg: "unhandled error in route handler", err: { type: "TypeError" } });
  });

  it("answers plain data as JSON, passes a Response (also a stream) through, and undefined as 204", async () => {
    const data = await route({ name: "GET /d", access: "public" }, () => ({ ok: true }))(new Request(`${URL_BASE}/d`), ctx());
    expect(data.status).toBe(200);
    expect(data.headers.get("content-type")).toMatch(/application\/json/);
    expect(await data.json()).toEqual({ ok: true });

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("chunk-1 "));
        controller.enqueue(new TextEncoder().encode("chunk-2"));
        controller.close();
      },
    });
    const streamed = await route({ name: "GET /s", access: "public" }, () => new Response(stream, { headers: { "content-type": "text/plain" } }))(new Request(`${URL_BASE}/s`), ctx());
    expect(await streamed.text()).toBe("chunk-1 chunk-2");

    const empty = await route({ name: "POST /e", access: { role: "ops" } }, () => undefined)(post("/e"), ctx());
    expect(empty.status).toBe(204);
  });
});

describe("zod parsing", () => {
  const retry = route(
    { name: "POST /runs/:id/retry", access: { role: "ops" }, params: z.object({ id: z.uuid() }), body: z.strictObject({ reason: z.string().min(3) }), maxBodyBytes: 1024 },
    ({ params, body }) => ({ id: params.id, reason: body.reason }),
  );
  const id = "6f1d3c1e-8d4a-4f5e-9a47-1c2b3d4e5f60";

  it("hands the handler typed params and body", async () => {
    const response = await retry(post(`/runs/${id}/retry`, { body: JSON.stringify({ reason: "portal outage" }) }), ctx({ id }));
    expect(await response.json()).toEqual({ id, reason: "portal outage" });
  });

  it("answers a param that does not parse with a readable 400", async () => {
    expect(await errorOf(await retry(post("/runs/42/retry", { body: "{}" }), ctx({ id: "42" })))).toMatchObject({ status: 400, body: { error: { code: "bad_request", message: expect.stringMatching(/^id: /) as string } } });
  });

  it("answers an invalid body with its field errors by dotted path, the ones a form shows beside its fields", async () => {
    const nested = route({ name: "POST /things", access: "public", body: z.strictObject({ retry: z.object({ maxAttempts: z.int().max(5, "At most 5 attempts") }), note: z.string().max(3, "Too long") }) }, () => ({}));
    const answer = await errorOf(await nested(post("/things", { body: JSON.stringify({ retry: { maxAttempts: 9 }, note: "long" }) }), ctx()));
    expect(answer).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "retry.maxAttempts: At most 5 attempts; note: Too long", fields: { "retry.maxAttempts": ["At most 5 attempts"], note: ["Too long"] } } },
    });
  });

  it("answers malformed JSON, a body of the wrong shape and an oversized body with 400, 400 and 413", async () => {
    expect(await errorOf(await retry(post(`/runs/${id}/retry`, { body: "{not json" }), ctx({ id })))).toEqual({ status: 400, body: { error: { code: "bad_request", message: "The body is not valid JSON." } } });
    const wrong = await errorOf(await retry(post(`/runs/${id}/retry`, { body: JSON.stringify({ reason: "x", extra: 1 }) }), ctx({ id })));
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    expect((wrong.body as { error: { message: string } }).error.message).toMatch(/reason: .*; body: .*extra/);
    const huge = JSON.stringify({ reason: "x".repeat(2000) });
    expect(await errorOf(await retry(post(`/runs/${id}/retry`, { body: huge }), ctx({ id })))).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });
  });

  it("parses search params, repeated keys as arrays", async () => {
    const list = route({ name: "GET /cases", access: { role: "viewer" }, query: z.object({ oem: z.array(z.string()).or(z.string()), page: z.coerce.number().int().min(1).default(1) }) }, ({ query }) => query);
    expect(await (await list(new Request(`${URL_BASE}/cases?oem=arden&oem=corvid&page=2`), ctx())).json()).toEqual({ oem: ["arden", "corvid"], page: 2 });
    expect(await errorOf(await list(new Request(`${URL_BASE}/cases?oem=arden&page=zero`), ctx()))).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^page: /) as string } } });
  });
});

describe("the same-origin rule", () => {
  const act = route({ name: "POST /act", access: { role: "ops" } }, () => ({ ok: true }));

  it("refuses a state-changing request from another site with 403", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const request = new Request(`${URL_BASE}/act`, { method, headers: { host: "127.0.0.1:3000", origin: "https://evil.example" } });
      expect(await errorOf(await act(request, ctx()))).toEqual({ status: 403, body: { error: { code: "forbidden", message: "Cross-site requests are not allowed." } } });
    }
    expect((await act(post("/act", { headers: { origin: "null" } }), ctx())).status).toBe(403);
    expect((await act(post("/act", { headers: { "sec-fetch-site": "cross-site" } }), ctx())).status).toBe(403);
    expect((await act(post("/act", { headers: { "sec-fetch-site": "same-site" } }), ctx())).status).toBe(403);
  });

  it("refuses a change that carries a cookie but no Origin (a forged form in a browser that leaves Origin out)", async () => {
    const request = post("/act", { headers: { cookie: "nightshift.session_token=abc.def" } });
    expect(await errorOf(await act(request, ctx()))).toEqual({ status: 403, body: { error: { code: "forbidden", message: NO_ORIGIN_MESSAGE } } });
    expect((await act(post("/act", { headers: { cookie: "nightshift.session_token=abc.def", origin: "http://127.0.0.1:3000" } }), ctx())).status).toBe(200);
  });

  it("lets our own origin, a proxy's forwarded host and server-side callers without cookies (no Origin) through", async () => {
    expect((await act(post("/act", { headers: { origin: "http://127.0.0.1:3000" } }), ctx())).status).toBe(200);
    expect((await act(post("/act", { headers: { origin: "https://nightshift.example.com", "x-forwarded-host": "nightshift.example.com" } }), ctx())).status).toBe(200);
    expect((await act(post("/act"), ctx())).status).toBe(200);
  });

  it("leaves reads alone, and lets a route opt out explicitly (a signed webhook)", async () => {
    const read = route({ name: "GET /read", access: "public" }, () => ({ ok: true }));
    expect((await read(new Request(`${URL_BASE}/read`, { headers: { origin: "https://evil.example" } }), ctx())).status).toBe(200);
    const webhook = route({ name: "POST /hook", access: "webhook", crossOrigin: "allowed: authenticated by signature" }, () => ({ ok: true }));
    expect((await webhook(post("/hook", { headers: { origin: "https://crm.example" } }), ctx())).status).toBe(200);
  });
});

describe("access: who acts", () => {
  it("hands the signed-in person to role routes, and null to public, webhook, signed-url and setup-token routes", async () => {
    const who = (access: "public" | "webhook" | "signed-url" | "setup-token" | "bearer-token" | { role: "viewer" | "ops" | "admin" }) => route({ name: "POST /who", access }, ({ actor }) => ({ actor }));
    expect(await (await who({ role: "admin" })(post("/who"), ctx())).json()).toEqual({ actor: ADMIN });
    for (const access of ["public", "webhook", "signed-url", "setup-token", "bearer-token"] as const) expect(await (await who(access)(post("/who"), ctx())).json()).toEqual({ actor: null });
  });

  it("refuses every change in read-only mode, for an admin too, but still answers reads and webhooks", async () => {
    let handled = 0;
    const readOnly = factory({ readOnly: () => true });
    const change = await readOnly({ name: "POST /x", access: { role: "viewer" } }, () => ({ handled: ++handled }))(post("/x"), ctx());
    expect(await errorOf(change)).toMatchObject({ status: 503, body: { error: { code: "unavailable", message: expect.stringMatching(/read-only mode/) as unknown } } });
    expect((await readOnly({ name: "GET /x", access: { role: "viewer" } }, () => ({ handled: ++handled }))(new Request(`${URL_BASE}/x`), ctx())).status).toBe(200);
    const hook = readOnly({ name: "POST /hook", access: "webhook", crossOrigin: "allowed: authenticated by signature" }, () => ({ handled: ++handled }));
    expect((await hook(post("/hook"), ctx())).status).toBe(200);
    expect(handled).toBe(2);
  });

  it("lets a resolver refuse a person outright (an account without a role)", async () => {
    const roleless = factory({ resolveActor: () => Promise.reject(new AppError("forbidden", "Your account has no Nightshift role yet.")) });
    expect(await errorOf(await roleless({ name: "GET /x", access: { role: "viewer" } }, () => ({}))(new Request(`${URL_BASE}/x`), ctx()))).toMatchObject({ status: 403, body: { error: { message: "Your account has no Nightshift role yet." } } });
  });

  it("answers 401 without an actor and 403 for a role that is too low", async () => {
    const nobody = factory({ resolveActor: () => Promise.resolve(null) });
    expect(await errorOf(await nobody({ name: "POST /x", access: { role: "viewer" } }, () => ({}))(post("/x"), ctx()))).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    const viewer = factory({ resolveActor: () => Promise.resolve({ id: "v@example.com", role: "viewer" }) });
    expect(await errorOf(await viewer({ name: "POST /x", access: { role: "ops" } }, () => ({}))(post("/x"), ctx()))).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
    expect((await viewer({ name: "GET /x", access: { role: "viewer" } }, () => ({}))(new Request(`${URL_BASE}/x`), ctx())).status).toBe(200);
  });

  it("orders roles viewer < ops < admin", () => {
    expect(ROLES).toEqual(["viewer", "ops", "admin"]);
    expect([hasRole("admin", "ops"), hasRole("ops", "ops"), hasRole("viewer", "ops")]).toEqual([true, true, false]);
  });
});

describe("dependencies", () => {
  it("builds them only when a handler reads them", async () => {
    let built = 0;
    const lazy = factory({ deps: () => ({ greeting: `hello #${++built}` }) });
    await lazy({ name: "GET /a", access: "public" }, () => ({}))(new Request(`${URL_BASE}/a`), ctx());
    expect(built).toBe(0);
    const response = await lazy({ name: "GET /b", access: "public" }, ({ deps }) => ({ first: deps.greeting, again: deps.greeting }))(new Request(`${URL_BASE}/b`), ctx());
    expect(await response.json()).toEqual({ first: "hello #1", again: "hello #1" });
  });
});
