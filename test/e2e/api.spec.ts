import { randomUUID } from "node:crypto";
import { expect, test, type APIResponse } from "@playwright/test";
import postgres from "postgres";
import { ADMIN } from "./auth";
import { E2E_DATABASE_URL } from "./ports";

// The API over HTTP against the real launcher (playwright.config.ts): the route wrapper's
// same-origin rule and error mapping, and the operator routes. The database of that launcher is
// read only to find a failed run to act on and to check the audit trail.
const DATABASE_URL = E2E_DATABASE_URL;
const CROSS_SITE = { origin: "https://evil.example" };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sql: postgres.Sql;
test.beforeAll(() => {
  sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
});
test.afterAll(async () => {
  await sql?.end({ timeout: 5 });
});

async function apiError(response: APIResponse) {
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error?.message).toBe("string");
  return { status: response.status(), code: body.error?.code, message: body.error?.message as string };
}

test("health is public and never cached", async ({ request }) => {
  const response = await request.get("/api/health", { headers: CROSS_SITE });
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(((await response.json()) as { database: { status: string } }).database.status).toBe("up");
});

test("a cross-site POST to any operator route is refused with 403 and the one error shape", async ({ request }) => {
  const id = randomUUID();
  for (const path of ["/api/batches", `/api/runs/${id}/retry`, `/api/runs/${id}/classification`, "/api/portals/arden/resume"]) {
    const response = await request.post(path, { headers: CROSS_SITE, data: {} });
    expect(await apiError(response), path).toEqual({ status: 403, code: "forbidden", message: "Cross-site requests are not allowed." });
  }
  // The CRM webhook opts out explicitly: its signature is its authentication, so it answers 401, not 403.
  const webhook = await request.post("/api/webhooks/crm", { headers: { ...CROSS_SITE, "content-type": "application/json" }, data: Buffer.from("{}") });
  expect(webhook.status()).toBe(401);
});

test("bodies and params are parsed: malformed JSON, oversized bodies, bad uuids and unknown error classes are 4xx", async ({ request, baseURL }) => {
  const sameOrigin = { origin: new URL(baseURL!).origin, "content-type": "application/json" };
  expect(await apiError(await request.post("/api/batches", { headers: sameOrigin, data: Buffer.from("{not json") }))).toEqual({ status: 400, code: "bad_request", message: "The body is not valid JSON." });
  expect(await apiError(await request.post("/api/batches", { headers: sameOrigin, data: Buffer.from(JSON.stringify({ oemIds: ["x".repeat(20 * 1024)] })) }))).toMatchObject({ status: 413, code: "payload_too_large" });
  expect(await apiError(await request.post("/api/runs/not-a-uuid/retry", { headers: sameOrigin }))).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/^id: /) });
  const badClass = await apiError(await request.post(`/api/runs/${randomUUID()}/classification`, { headers: sameOrigin, data: { errorClass: "gremlins", reason: "It was gremlins" } }));
  expect(badClass).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/^errorClass: /) });
  const shortReason = await apiError(await request.post(`/api/runs/${randomUUID()}/classification`, { headers: sameOrigin, data: { errorClass: "site_flake" } }));
  expect(shortReason).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/reason/) });
});

test("operator routes answer 404 for unknown runs and portals, 409 for a portal that is not paused, 400 for an unknown OEM", async ({ request, baseURL }) => {
  // A signed-in change must name its origin (the browser always does; lib/http/same-origin.ts).
  const headers = { origin: new URL(baseURL!).origin };
  const missing = randomUUID();
  expect(await apiError(await request.post(`/api/runs/${missing}/retry`, { headers }))).toEqual({ status: 404, code: "not_found", message: "No such run." });
  expect(await apiError(await request.post(`/api/runs/${missing}/classification`, { headers, data: { errorClass: "site_flake", reason: "Portal outage" } }))).toEqual({ status: 404, code: "not_found", message: "No such run." });
  expect(await apiError(await request.post("/api/portals/nowhere/resume", { headers }))).toEqual({ status: 404, code: "not_found", message: "No such portal." });
  expect(await apiError(await request.post("/api/portals/arden/resume", { headers }))).toEqual({ status: 409, code: "conflict", message: "That portal is not paused." });
  expect(await apiError(await request.post("/api/batches", { headers, data: { oemIds: ["nowhere"] } }))).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/^oemIds\.0: Unknown OEM "nowhere"/) });
  // Recipe fields are strict: the old `deadlineHours` (the deadline now comes from the schedule) and out-of-range values are field errors.
  expect(await apiError(await request.post("/api/batches", { headers, data: { deadlineHours: 6 } }))).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/deadlineHours/) });
  expect(await apiError(await request.post("/api/batches", { headers, data: { concurrency: 99, retry: { maxAttempts: 9, delaySeconds: 5 } } }))).toMatchObject({ status: 400, code: "bad_request", message: expect.stringMatching(/concurrency: At most 16.*retry\.maxAttempts: At most 5/) });
  expect(await apiError(await request.post(`/api/batches/${missing}/cancel`, { headers }))).toEqual({ status: 404, code: "not_found", message: "No such batch." });
});

test("ops reclassify and retry a failed run over HTTP, and the audit trail says who did it", async ({ request, baseURL }) => {
  const headers = { origin: new URL(baseURL!).origin };
  test.setTimeout(240_000);
  // The seeded sandbox has cases the portals reject (bad data): they end as "needs review" within minutes.
  let failed: { id: string; status: string } | undefined;
  await expect(async () => {
    [failed] = await sql<Array<{ id: string; status: string }>>`select r.id, r.status from runs r join cases c on c.id = r.case_id
      where r.status in ('needs_review', 'failed', 'parked') and c.status <> 'submitted'
        and not exists (select 1 from runs o where o.case_id = r.case_id and o.status in ('queued', 'running', 'retry_scheduled'))
      order by r.finished_at desc nulls last limit 1`;
    expect(failed).toBeDefined();
  }, "a run that ended in a terminal fail").toPass({ timeout: 180_000, intervals: [2_000] });
  const runId = failed!.id;

  const override = await request.post(`/api/runs/${runId}/classification`, { headers, data: { errorClass: "site_flake", reason: "Portal outage, not the data" } });
  expect(override.status()).toBe(200);
  expect(await override.json()).toEqual({ ok: true });
  const [reclassified] = await sql<Array<{ error_class: string }>>`select error_class from runs where id = ${runId}`;
  expect(reclassified?.error_class).toBe("site_flake");

  const retry = await request.post(`/api/runs/${runId}/retry`, { headers });
  expect(retry.status()).toBe(201);
  const { runId: newRunId } = (await retry.json()) as { runId: string };
  expect(newRunId).toMatch(uuid);
  expect(newRunId).not.toBe(runId);

  const audit = await sql<Array<{ action: string; actor: string; details: Record<string, unknown> }>>`select action, actor, details from audit_log where run_id = ${runId} order by created_at`;
  expect(audit.map((row) => [row.action, row.actor])).toEqual([
    ["override_class", ADMIN.email],
    ["retry_run", ADMIN.email],
  ]);
  expect(audit[0]?.details).toMatchObject({ to: "site_flake", reason: "Portal outage, not the data" });
  expect(audit[1]?.details).toEqual({ newRunId });
});
