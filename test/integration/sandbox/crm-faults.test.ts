import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../sandbox/server.js";
import { admin, crm, startTestSandbox, UNITS, type CaseBody } from "./helpers.js";

describe("sandbox CRM fault knobs", () => {
  let sandbox: Sandbox;
  let caseId: string;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ hangTimeoutMs: 1_000 });
    const res = await crm<CaseBody>(sandbox, "POST", "/cases", { body: { oem: "borealis", kind: "emissions_report", unitId: UNITS.borealis } });
    caseId = res.body.id;
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("answers 500 before any effect, so a retry with the same key applies exactly once", async () => {
    await admin(sandbox, "PUT", "/admin/faults", { crm: { error500Rate: 1 } });
    const failed = await crm(sandbox, "PATCH", `/cases/${caseId}`, { body: { status: "submitted", confirmationNumber: "BOR-12345678" }, idempotencyKey: "k-500" });
    expect(failed.status).toBe(500);
    await admin(sandbox, "PUT", "/admin/faults", { crm: { error500Rate: 0 } });
    const before = await crm<CaseBody>(sandbox, "GET", `/cases/${caseId}`);
    expect(before.body.status).toBe("new");
    const retried = await crm<CaseBody>(sandbox, "PATCH", `/cases/${caseId}`, { body: { status: "submitted", confirmationNumber: "BOR-12345678" }, idempotencyKey: "k-500" });
    expect(retried.status).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    const writes = await admin<{ writes: { outcome: string; status: number }[]; effects: number }>(sandbox, "GET", `/admin/crm/writes?caseId=${caseId}`);
    expect(writes.body.writes.map((w) => [w.status, w.outcome])).toEqual([
      [500, "fault"],
      [200, "applied"],
    ]);
    expect(writes.body.effects).toBe(1);
  });

  it("answers 429 with Retry-After: 1 before any effect", async () => {
    sandbox.setFaults({ crm: { error429Rate: 1 } });
    const res = await crm<{ error: { code: string } }>(sandbox, "POST", `/cases/${caseId}/notes`, { body: { body: "hello" }, idempotencyKey: "n-429" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.body.error.code).toBe("rate_limited");
    expect(sandbox.state.cases.get(caseId)?.notes).toHaveLength(0);
  });

  it("hangs without answering, so the client's own timeout fires, and takes no effect", async () => {
    sandbox.setFaults({ crm: { hangRate: 1 } });
    const started = Date.now();
    await expect(
      fetch(`${sandbox.url}/crm/api/cases/${caseId}`, {
        method: "PATCH",
        headers: { authorization: "Bearer test-crm-token", "idempotency-key": "k-hang", "content-type": "application/json" },
        body: JSON.stringify({ status: "submitted" }),
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sandbox.state.cases.get(caseId)?.status).toBe("new");
  });

  it("destroys a hanging connection at the hang cap", async () => {
    sandbox.setFaults({ crm: { hangRate: 1 } });
    await expect(fetch(`${sandbox.url}/crm/api/cases`, { headers: { authorization: "Bearer test-crm-token" } })).rejects.toThrow();
  });

  it("adds the configured latency to every CRM response", async () => {
    sandbox.setFaults({ crm: { latencyMs: 150 } });
    const started = Date.now();
    const res = await crm(sandbox, "GET", `/cases/${caseId}`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
