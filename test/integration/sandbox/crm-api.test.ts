import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, crm, startTestSandbox, UNITS, type CaseBody } from "./helpers.js";

interface WritesBody {
  writes: { outcome: string; tookEffect: boolean; caseId: string | null; status: number; idempotencyKey: string | null }[];
  effects: number;
}

describe("sandbox CRM API", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  async function createCase(body: Record<string, unknown> = {}): Promise<CaseBody> {
    const res = await crm<CaseBody>(sandbox, "POST", "/cases", {
      body: { oem: "arden", kind: "warranty_claim", unitId: UNITS.arden, ...body },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it("refuses requests without the bearer token with 401 and a JSON error", async () => {
    const missing = await crm<{ error: { code: string } }>(sandbox, "GET", "/cases", { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("unauthorized");
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await crm(sandbox, "GET", "/cases", { token: "not-the-token" });
    expect(wrong.status).toBe(401);
  });

  it("creates a case with a CRM id and an NS reference, and returns it by id", async () => {
    const created = await createCase({ redactionSensitive: true, category: "powertrain" });
    expect(created.id).toMatch(/^CRM-\d{6}$/);
    expect(created.reference).toMatch(/^NS-\d{4}-\d{5}$/);
    expect(created).toMatchObject({ oem: "arden", kind: "warranty_claim", status: "new", confirmationNumber: null, redactionSensitive: true });
    expect(created.unit.id).toBe(UNITS.arden);
    const fetched = await crm<CaseBody>(sandbox, "GET", `/cases/${created.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created);
    const missing = await crm(sandbox, "GET", "/cases/CRM-999999");
    expect(missing.status).toBe(404);
  });

  it("rejects a case whose kind the OEM does not accept, with a readable reason", async () => {
    const res = await crm<{ error: { code: string; message: string } }>(sandbox, "POST", "/cases", {
      body: { oem: "corvid", kind: "emissions_report", unitId: UNITS.corvid },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_case");
    expect(res.body.error.message).toContain("kind");
  });

  it("lists cases changed since a timestamp, oldest first, paginated by cursor", async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const a = await createCase();
    const b = await createCase();
    const c = await createCase();
    const page1 = await crm<{ cases: CaseBody[]; nextCursor: string | null }>(sandbox, "GET", `/cases?updatedSince=${encodeURIComponent(since)}&limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.cases.map((x) => x.id)).toEqual([a.id, b.id]);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await crm<{ cases: CaseBody[]; nextCursor: string | null }>(
      sandbox,
      "GET",
      `/cases?updatedSince=${encodeURIComponent(since)}&limit=2&cursor=${page1.body.nextCursor ?? ""}`,
    );
    expect(page2.body.cases.map((x) => x.id)).toEqual([c.id]);
    expect(page2.body.nextCursor).toBeNull();
    const bad = await crm(sandbox, "GET", "/cases?updatedSince=yesterday");
    expect(bad.status).toBe(400);
  });

  it("requires an Idempotency-Key on status write-backs", async () => {
    const created = await createCase();
    const res = await crm<{ error: { code: string } }>(sandbox, "PATCH", `/cases/${created.id}`, { body: { status: "submitted" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("idempotency_key_required");
    const after = await crm<CaseBody>(sandbox, "GET", `/cases/${created.id}`);
    expect(after.body.status).toBe("new");
  });

  it("applies a status PATCH once when the same key is replayed with the same body", async () => {
    const created = await createCase();
    const body = { status: "submitted", confirmationNumber: "ARD-7F3K2Q", message: "Filed by Nightshift" };
    const first = await crm<CaseBody>(sandbox, "PATCH", `/cases/${created.id}`, { body, idempotencyKey: "outbox-1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "submitted", confirmationNumber: "ARD-7F3K2Q", statusMessage: "Filed by Nightshift" });
    // Key order differs: still the same request.
    const replay = await crm<CaseBody>(sandbox, "PATCH", `/cases/${created.id}`, {
      body: { message: "Filed by Nightshift", confirmationNumber: "ARD-7F3K2Q", status: "submitted" },
      idempotencyKey: "outbox-1",
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);

    const writes = await admin<WritesBody>(sandbox, "GET", `/admin/crm/writes?caseId=${created.id}`);
    expect(writes.body.writes.map((w) => w.outcome)).toEqual(["applied", "replayed"]);
    expect(writes.body.effects).toBe(1);
  });

  it("answers 409 to a reused key with a different body and changes nothing", async () => {
    const created = await createCase();
    await crm(sandbox, "PATCH", `/cases/${created.id}`, { body: { status: "needs_review", message: "Invalid VIN" }, idempotencyKey: "outbox-2" });
    const conflict = await crm<{ error: { code: string } }>(sandbox, "PATCH", `/cases/${created.id}`, {
      body: { status: "submitted", confirmationNumber: "ARD-XXXXXX" },
      idempotencyKey: "outbox-2",
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("idempotency_key_reused");
    const after = await crm<CaseBody>(sandbox, "GET", `/cases/${created.id}`);
    expect(after.body).toMatchObject({ status: "needs_review", confirmationNumber: null });
    const writes = await admin<WritesBody>(sandbox, "GET", `/admin/crm/writes?caseId=${created.id}`);
    expect(writes.body.writes.map((w) => [w.outcome, w.tookEffect])).toEqual([
      ["applied", true],
      ["conflict", false],
    ]);
  });

  it("validates PATCH bodies and lets a key be retried after a validation error", async () => {
    const created = await createCase();
    const invalid = await crm(sandbox, "PATCH", `/cases/${created.id}`, { body: { status: "done" }, idempotencyKey: "outbox-3" });
    expect(invalid.status).toBe(400);
    const ok = await crm(sandbox, "PATCH", `/cases/${created.id}`, { body: { status: "failed", message: "Portal refused" }, idempotencyKey: "outbox-3" });
    expect(ok.status).toBe(200);
  });

  it("adds a note once per Idempotency-Key", async () => {
    const created = await createCase();
    const first = await crm<{ id: string; body: string; kind: string }>(sandbox, "POST", `/cases/${created.id}/notes`, {
      body: { body: "Portal rejected: invalid VIN", kind: "failure" },
      idempotencyKey: "note-1",
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ body: "Portal rejected: invalid VIN", kind: "failure" });
    const replay = await crm(sandbox, "POST", `/cases/${created.id}/notes`, { body: { body: "Portal rejected: invalid VIN", kind: "failure" }, idempotencyKey: "note-1" });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    const noKey = await crm(sandbox, "POST", `/cases/${created.id}/notes`, { body: { body: "x" } });
    expect(noKey.status).toBe(400);
    const after = await crm<CaseBody>(sandbox, "GET", `/cases/${created.id}`);
    expect(after.body.notes).toHaveLength(1);
  });

  it("does not send a status write-back as a webhook (no loop) — no deliveries without a webhook URL", async () => {
    const deliveries = await admin<{ deliveries: unknown[] }>(sandbox, "GET", "/admin/crm/deliveries");
    expect(deliveries.body.deliveries).toEqual([]);
  });

  it("serves the case's supporting document as a valid PDF carrying the case reference", async () => {
    const created = await createCase();
    const res = await fetch(`${sandbox.url}/crm/api/cases/${created.id}/attachment.pdf`, { headers: { authorization: "Bearer test-crm-token" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await res.arrayBuffer()).toString("latin1");
    expect(pdf.startsWith("%PDF-1.4")).toBe(true);
    expect(pdf.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(pdf).toContain(created.reference);
    // The xref offset points at the xref table.
    const startxref = Number(/startxref\n(\d+)/.exec(pdf)?.[1]);
    expect(pdf.slice(startxref, startxref + 4)).toBe("xref");
  });
});
