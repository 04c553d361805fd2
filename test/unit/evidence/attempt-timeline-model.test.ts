import { describe, expect, it } from "vitest";
import { MAX_QUEUE_SHARE, MIN_QUEUE_SHARE, attemptTimeline, formatPreciseDuration, type TimelineAttempt } from "@/components/evidence/attempt-timeline-model";

const t0 = Date.parse("2026-12-02T01:30:00.000Z");
const at = (ms: number) => new Date(t0 + ms);
const step = (name: string, startMs: number, durationMs: number, status: "ok" | "failed" = "ok") => ({ name, status, startedAt: at(startMs).toISOString(), durationMs });

const attempt = (patch: Partial<TimelineAttempt> = {}): TimelineAttempt => ({
  queuedAt: at(-130_000),
  startedAt: at(0),
  finishedAt: at(7_400),
  status: "failed",
  steps: [step("login", 0, 2_000), step("fill", 2_000, 4_000), step("submit", 6_000, 1_400, "failed")],
  ...patch,
});

describe("attemptTimeline", () => {
  it("splits queue wait (queued_at → started_at) from run time (started_at → finished_at) and says both in words", () => {
    const model = attemptTimeline(attempt());
    expect(model.queueMs).toBe(130_000);
    expect(model.runMs).toBe(7_400);
    expect(model.summary).toBe("Waited 2 min 10 s in the queue · ran 7.4 s");
  });

  it("shows run time only when queued_at is null (rows older than the column)", () => {
    const model = attemptTimeline(attempt({ queuedAt: null }));
    expect(model.queueMs).toBeNull();
    expect(model.queueShare).toBe(0);
    expect(model.summary).toBe("Ran 7.4 s");
  });

  it("places every step inside the run by its start and duration", () => {
    const { steps } = attemptTimeline(attempt());
    expect(steps.map((s) => [s.name, s.status, s.durationMs])).toEqual([
      ["login", "ok", 2_000],
      ["fill", "ok", 4_000],
      ["submit", "failed", 1_400],
    ]);
    expect(steps[0]!.offset).toBe(0);
    expect(steps[1]!.offset).toBeCloseTo(2_000 / 7_400);
    expect(steps[1]!.width).toBeCloseTo(4_000 / 7_400);
    expect(steps[2]!.offset + steps[2]!.width).toBeCloseTo(1);
  });

  it("keeps the run readable beside a long retry wait, and a short wait visible", () => {
    expect(attemptTimeline(attempt({ queuedAt: at(-600_000) })).queueShare).toBe(MAX_QUEUE_SHARE);
    expect(attemptTimeline(attempt({ queuedAt: at(-50) })).queueShare).toBe(MIN_QUEUE_SHARE);
    const even = attemptTimeline(attempt({ queuedAt: at(-7_400) }));
    expect(even.queueShare).toBeCloseTo(0.5);
    expect(even.summary).toBe("Waited 7.4 s in the queue · ran 7.4 s");
  });

  it("never shows a negative wait when the clocks of two processes disagree", () => {
    const model = attemptTimeline(attempt({ queuedAt: at(35) }));
    expect(model.queueMs).toBe(0);
    expect(model.queueShare).toBe(0);
    expect(model.summary).toBe("Started at once · ran 7.4 s");
  });

  it("measures a running attempt up to now, and one that never finished as having no end", () => {
    const running = attemptTimeline(attempt({ status: "running", finishedAt: null, steps: [step("login", 0, 2_000)] }), at(3_000));
    expect(running.runMs).toBe(3_000);
    expect(running.summary).toBe("Waited 2 min 10 s in the queue · running for 3.0 s");
    expect(running.steps[0]!.width).toBeCloseTo(2 / 3);

    const lost = attemptTimeline(attempt({ status: "interrupted", finishedAt: null, queuedAt: null }));
    expect(lost.runMs).toBeNull();
    expect(lost.summary).toBe("No end recorded");
    // The steps still sit on their own extent.
    expect(lost.steps.at(-1)!.offset + lost.steps.at(-1)!.width).toBeCloseTo(1);
  });

  it("handles an attempt with no steps and a zero-length run", () => {
    const model = attemptTimeline(attempt({ steps: [], finishedAt: at(0), queuedAt: at(-1_000) }));
    expect(model.steps).toEqual([]);
    expect(model.runMs).toBe(0);
    expect(model.queueShare).toBe(MAX_QUEUE_SHARE);
    expect(model.summary).toBe("Waited 1.0 s in the queue · ran 0 ms");
  });
});

describe("formatPreciseDuration", () => {
  it("gives a decimal under ten seconds and words above", () => {
    expect(formatPreciseDuration(350)).toBe("350 ms");
    expect(formatPreciseDuration(7_420)).toBe("7.4 s");
    expect(formatPreciseDuration(12_000)).toBe("12 s");
    expect(formatPreciseDuration(130_000)).toBe("2 min 10 s");
  });
});
