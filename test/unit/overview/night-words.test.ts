import { describe, expect, it } from "vitest";
import { describeNightOutcome, type NightOutcomeInput } from "@/lib/overview/morning-verdict";
import { describeTonight } from "@/lib/overview/tonight";
import { DEFAULT_SCHEDULE } from "@/lib/schedule/schedule";

const CHICAGO = "America/Chicago";
// 2026-12-02 is in CST (UTC−6): 11:42 UTC is 5:42 AM, 13:00 UTC is the 7:00 AM deadline.
const at = (iso: string) => new Date(iso);
const DEADLINE = at("2026-12-02T13:00:00.000Z");

const night = (patch: Partial<NightOutcomeInput> = {}): NightOutcomeInput => ({
  verdict: "done",
  timeZone: CHICAGO,
  deadline: DEADLINE,
  settledAt: at("2026-12-02T11:42:00.000Z"),
  projectedFinishAt: null,
  dryRun: false,
  total: 220,
  open: 0,
  submitted: 212,
  rehearsed: 0,
  needsReview: 3,
  parked: 5,
  failed: 0,
  cancelled: 0,
  ...patch,
});

describe("describeNightOutcome", () => {
  it("tells a night done by morning in the schedule's zone, with who has the rest", () => {
    expect(describeNightOutcome(night()).sentence).toBe("Done by 5:42 AM — 212 of 220 submitted · 3 need data fixes · 5 with engineering");
  });

  it("says the same instant in another zone's clock when the schedule is there", () => {
    expect(describeNightOutcome(night({ timeZone: "Europe/Berlin" })).title).toBe("Done by 12:42 PM");
  });

  it("names one data fix in the singular, failed and cancelled runs, and leaves out what is zero", () => {
    const words = describeNightOutcome(night({ total: 10, submitted: 7, needsReview: 1, parked: 0, failed: 1, cancelled: 1 }));
    expect(words.details).toEqual(["7 of 10 submitted", "1 needs a data fix", "1 failed", "1 cancelled"]);
  });

  it("says a night that missed its deadline with runs open, or settled late, and by how much", () => {
    expect(describeNightOutcome(night({ verdict: "missed", open: 12, settledAt: null, submitted: 200, needsReview: 3, parked: 5 })).sentence).toBe(
      "Not done by 7:00 AM — 200 of 220 submitted · 3 need data fixes · 5 with engineering · 12 still open",
    );
    expect(describeNightOutcome(night({ verdict: "missed", settledAt: at("2026-12-02T13:40:00.000Z") })).title).toBe("Done at 7:40 AM, 40 min late");
  });

  it("does not call a night late when it settled in time but the digest found cases without an explanation", () => {
    expect(describeNightOutcome(night({ verdict: "missed" })).title).toBe("Settled by 5:42 AM, but not every case explained");
  });

  it("projects a night still running: on track, or at risk past the deadline", () => {
    expect(describeNightOutcome(night({ verdict: "on_track", open: 80, settledAt: null, projectedFinishAt: at("2026-12-02T11:10:00.000Z") })).title).toBe("On track — projected 5:10 AM");
    expect(describeNightOutcome(night({ verdict: "at_risk", open: 80, settledAt: null, projectedFinishAt: at("2026-12-02T13:40:00.000Z") })).title).toBe(
      "At risk — projected 7:40 AM, after the 7:00 AM deadline",
    );
  });

  it("says a dry run rehearsed its cases, and a night with nothing to file has no details", () => {
    expect(describeNightOutcome(night({ dryRun: true, submitted: 0, rehearsed: 212 })).details[0]).toBe("212 of 220 rehearsed");
    expect(describeNightOutcome(night({ verdict: "not_started", total: 0, submitted: 0, needsReview: 0, parked: 0, settledAt: null }))).toEqual({
      title: "Nothing to file yet",
      details: [],
      sentence: "Nothing to file yet",
    });
  });
});

describe("describeTonight", () => {
  it("tells tonight's slot and deadline in the schedule's zone once the morning is over", () => {
    // 2 PM in Chicago: last night's deadline has passed.
    const tonight = describeTonight({ schedule: DEFAULT_SCHEDULE, now: at("2026-12-02T20:00:00.000Z"), latestNight: { nightKey: "2026-12-02", status: "finished" } });
    expect(tonight.sentence).toBe("Tonight at 1:30 AM Central · done by 7:00 AM");
    expect(tonight.running).toBe(false);
    expect(tonight.nextSlot).toEqual(at("2026-12-03T07:30:00.000Z"));
    expect(tonight.nextDeadline).toEqual(at("2026-12-03T13:00:00.000Z"));
  });

  it("says the batch is running between its slot and its deadline, and the next one is tomorrow night once it is done", () => {
    const during = at("2026-12-02T09:00:00.000Z"); // 3 AM in Chicago
    expect(describeTonight({ schedule: DEFAULT_SCHEDULE, now: during, latestNight: { nightKey: "2026-12-02", status: "running" } })).toMatchObject({
      sentence: "Tonight's batch is running · due by 7:00 AM Central",
      running: true,
    });
    expect(describeTonight({ schedule: DEFAULT_SCHEDULE, now: during, latestNight: { nightKey: "2026-12-02", status: "finished" } }).sentence).toBe(
      "Tomorrow night at 1:30 AM Central · done by 7:00 AM",
    );
  });

  it("says there is no nightly batch while the schedule is paused", () => {
    const paused = describeTonight({ schedule: { ...DEFAULT_SCHEDULE, enabled: false }, now: at("2026-12-02T20:00:00.000Z"), latestNight: null });
    expect(paused).toMatchObject({ sentence: "No nightly batch: the schedule is paused", nextSlot: null, running: false });
  });
});
