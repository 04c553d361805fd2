import { describe, expect, it } from "vitest";
import { continuationJob, deliveryJob, submitCaseJob } from "@/lib/queue/specs";
import { continuationPriority, jobKeyForOutboxEntry, jobKeyForRun, parseJobKey, PRIORITY, TASK_IDS, TASK_PAYLOADS } from "@/lib/queue/tasks";

const RUN = "3f2b1c4e-0000-4000-8000-000000000001";

describe("queue contract", () => {
  it("has a payload schema for every task id", () => {
    expect(Object.keys(TASK_PAYLOADS).sort()).toEqual([...TASK_IDS].sort());
  });

  it("refuses a payload that does not fit its task's schema", () => {
    expect(TASK_PAYLOADS.submit_case.safeParse({ runId: RUN }).success).toBe(true);
    expect(TASK_PAYLOADS.submit_case.safeParse({ runId: "not-a-uuid" }).success).toBe(false);
    expect(TASK_PAYLOADS.deliver_crm_update.safeParse({}).success).toBe(false);
    // Jobs queued by older code may lack new optional fields.
    expect(TASK_PAYLOADS.dispatch_night.safeParse({}).success).toBe(true);
  });

  it("reads back the job keys it makes, and no others", () => {
    expect(parseJobKey(jobKeyForRun(RUN))).toEqual({ kind: "run", runId: RUN });
    expect(parseJobKey(jobKeyForOutboxEntry(RUN))).toEqual({ kind: "outbox", outboxId: RUN });
    expect(parseJobKey("run:nope")).toBeNull();
    expect(parseJobKey(null)).toBeNull();
  });

  it("puts a started run's next attempt ahead of first attempts of the same priority, and write-backs ahead of both", () => {
    const first = submitCaseJob({ runId: RUN, oemId: "arden", priority: PRIORITY.normal, runAt: null });
    const next = continuationJob({ runId: RUN, oemId: "arden", runPriority: PRIORITY.normal, runAt: null });
    expect(next.priority).toBeLessThan(first.priority!);
    expect(continuationPriority(PRIORITY.urgent)).toBeLessThan(PRIORITY.urgent);
    expect(deliveryJob({ outboxId: RUN, runAt: null }).priority).toBeLessThan(next.priority!);
    // One job per run: the next attempt replaces the run's queued job, flagged with its OEM.
    expect(next).toMatchObject({ jobKey: `run:${RUN}`, flags: ["oem:arden"], task: "submit_case" });
  });
});
