import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { createCrontab } from "@/jobs/crontab";
import { watchBatchJob } from "@/lib/batches/close-batch";
import { PRIORITY, TASK_PAYLOADS } from "@/lib/queue/tasks";

describe("the batch watch's schedule", () => {
  it("runs every minute, one queued tick at most, ahead of every submission", () => {
    const [watch] = parseCrontab(createCrontab()).filter((item) => item.task === "watch_batches");
    expect(watch?.options).toMatchObject({ jobKey: "watch_batches", jobKeyMode: "replace", maxAttempts: 1, priority: PRIORITY.tick, backfillPeriod: 0 });
    expect(watch?.match).toBeDefined();
    expect(PRIORITY.tick).toBeLessThan(PRIORITY.urgent - 1);
  });

  it("queues one watch per finished batch, with a payload its task accepts", () => {
    const job = watchBatchJob("3f2b1c4e-0000-4000-8000-000000000001");
    expect(job).toMatchObject({ task: "watch_batches", jobKey: "watch:3f2b1c4e-0000-4000-8000-000000000001", priority: PRIORITY.tick });
    expect(TASK_PAYLOADS.watch_batches.safeParse(job.payload).success).toBe(true);
    expect(TASK_PAYLOADS.watch_batches.safeParse({ _cron: { ts: "2026-01-15T07:30:00Z" } }).success).toBe(true);
    expect(TASK_PAYLOADS.watch_batches.safeParse({ batchId: "nope" }).success).toBe(false);
  });
});
